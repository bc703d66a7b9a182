"use client";
import { useActionState } from "react";
import { deleteAccountAction } from "@/web/actions/privacy";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";
import { ReauthField } from "./reauth-field";

export function DeleteAccountForm({ twoFactor }: { twoFactor: boolean }) {
  const [state, action] = useActionState<FormState, FormData>(deleteAccountAction, {});
  return (
    <form action={action} className="form" noValidate>
      <FormMessage message={state.message} ok={state.ok} />
      <ReauthField idPrefix="delete-account" twoFactor={twoFactor} errors={state.fields} />
      <div>
        <SubmitButton className="btn danger" pendingText="Deleting…">
          Delete my account
        </SubmitButton>
      </div>
    </form>
  );
}
