"use client";
import Link from "next/link";
import { useActionState } from "react";
import { confirmEmailAction } from "@/web/actions/account";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

export function ConfirmEmailForm({ token }: { token: string }) {
  const [state, action] = useActionState<FormState, FormData>(confirmEmailAction, {});
  if (state.ok) {
    return (
      <>
        <FormMessage message={state.message} ok />
        <p>
          <Link href="/settings/account">Go to your account</Link>
        </p>
      </>
    );
  }
  return (
    <form action={action} className="form">
      <FormMessage message={state.message} ok={state.ok} />
      <input type="hidden" name="token" value={token} />
      <div>
        <SubmitButton pendingText="Confirming…">Confirm this address</SubmitButton>
      </div>
    </form>
  );
}
