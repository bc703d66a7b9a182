"use client";
import { useActionState } from "react";
import { deleteOrganizationAction } from "@/web/actions/privacy";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";
import { ReauthField } from "./reauth-field";

export function DeleteOrganizationForm({ slug, twoFactor }: { slug: string; twoFactor: boolean }) {
  const [state, action] = useActionState<FormState, FormData>(deleteOrganizationAction, {});
  return (
    <form action={action} className="form" noValidate>
      <FormMessage message={state.message} ok={state.ok} />
      <Field
        label={`Type the organization's slug (${slug}) to confirm`}
        name="confirm"
        id="delete-org-confirm"
        autoComplete="off"
        defaultValue={state.values?.confirm}
        errors={state.fields?.confirm}
      />
      <ReauthField idPrefix="delete-org" twoFactor={twoFactor} errors={state.fields} />
      <div>
        <SubmitButton className="btn danger" pendingText="Deleting…">
          Delete this organization
        </SubmitButton>
      </div>
    </form>
  );
}
