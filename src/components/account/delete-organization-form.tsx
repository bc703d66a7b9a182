"use client";
import { useActionState } from "react";
import { deleteOrganizationAction } from "@/web/actions/privacy";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

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
      {twoFactor ? (
        <Field label="Authentication or recovery code" name="code" id="delete-org-code" autoComplete="one-time-code" errors={state.fields?.code} />
      ) : (
        <Field label="Your password" name="password" id="delete-org-password" type="password" autoComplete="current-password" errors={state.fields?.password} />
      )}
      <div>
        <SubmitButton className="btn danger" pendingText="Deleting…">
          Delete this organization
        </SubmitButton>
      </div>
    </form>
  );
}
