"use client";
import Link from "next/link";
import { useActionState } from "react";
import { restoreAction } from "@/web/actions/privacy";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

export function RestoreForm({ token }: { token: string }) {
  const [state, action] = useActionState<FormState, FormData>(restoreAction, {});
  if (state.ok) {
    return (
      <>
        <FormMessage ok message={state.message} />
        <p>{state.data?.signIn ? <Link href="/sign-in">Sign in</Link> : <Link href="/">Open the dashboard</Link>}</p>
      </>
    );
  }
  return (
    <form action={action} className="form" noValidate>
      <FormMessage message={state.message} />
      <input type="hidden" name="token" value={token} />
      <div>
        <SubmitButton pendingText="Restoring…">Restore</SubmitButton>
      </div>
    </form>
  );
}
