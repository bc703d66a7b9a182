"use client";
import { useActionState } from "react";
import { acceptAction, acceptAsNewUserAction } from "@/web/actions/invitations";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

export function AcceptButton({ token }: { token: string }) {
  const [state, action] = useActionState<FormState, FormData>(acceptAction, {});
  return (
    <form action={action} className="form">
      <FormMessage message={state.message} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton pendingText="Joining…">Accept invitation</SubmitButton>
    </form>
  );
}

export function NewAccountForm({ token, email }: { token: string; email: string }) {
  const [state, action] = useActionState<FormState, FormData>(acceptAsNewUserAction, {});
  return (
    <form action={action} className="form" noValidate>
      <FormMessage message={state.fields ? undefined : state.message} />
      <input type="hidden" name="token" value={token} />
      <Field label="Email" name="email-display" value={email} readOnly aria-readonly hint="The invitation is for this address." />
      <Field label="Your name" name="name" autoComplete="name" defaultValue={state.values?.name} errors={state.fields?.name} />
      <Field label="Choose a password" name="password" type="password" autoComplete="new-password" hint="At least 10 characters." errors={state.fields?.password} />
      <SubmitButton pendingText="Creating your account…">Create account and join</SubmitButton>
    </form>
  );
}
