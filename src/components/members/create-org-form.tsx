"use client";
import { useActionState } from "react";
import { createOrganizationAction } from "@/web/actions/organizations";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

export function CreateOrganizationForm() {
  const [state, action] = useActionState<FormState, FormData>(createOrganizationAction, {});
  return (
    <form action={action} className="form" noValidate>
      <FormMessage message={state.message} ok={state.ok} />
      <Field label="Organization name" name="name" defaultValue={state.values?.name} errors={state.fields?.name} />
      <div>
        <SubmitButton pendingText="Creating…">Create organization</SubmitButton>
      </div>
    </form>
  );
}
