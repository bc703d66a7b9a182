"use client";
import { useActionState } from "react";
import { deleteAccountAction } from "@/web/actions/privacy";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

export function DeleteAccountForm({ twoFactor }: { twoFactor: boolean }) {
  const [state, action] = useActionState<FormState, FormData>(deleteAccountAction, {});
  return (
    <form action={action} className="form" noValidate>
      <FormMessage message={state.message} ok={state.ok} />
      {twoFactor ? (
        <Field label="Authentication or recovery code" name="code" id="delete-account-code" autoComplete="one-time-code" errors={state.fields?.code} />
      ) : (
        <Field label="Your password" name="password" id="delete-account-password" type="password" autoComplete="current-password" errors={state.fields?.password} />
      )}
      <div>
        <SubmitButton className="btn danger" pendingText="Deleting…">
          Delete my account
        </SubmitButton>
      </div>
    </form>
  );
}
