"use client";
import Link from "next/link";
import { Field, FormMessage } from "@/components/ui/field";
import { formValues, useJsonForm } from "./use-json-form";

export function ResetPasswordForm({ token }: { token: string }) {
  const { pending, error, submit, fieldErrors } = useJsonForm<{ ok: true }>("/api/auth/password-reset/confirm");
  const linkDead = Boolean(error?.details?.token);
  return (
    <form
      className="form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await submit({ ...formValues(e.currentTarget), token });
        if (r) window.location.assign("/sign-in?reset=1");
      }}
    >
      {error && (!error.details || linkDead) && <FormMessage message={error.message} />}
      {linkDead && (
        <p>
          <Link href="/forgot-password">Request a new link</Link>
        </p>
      )}
      <Field label="New password" name="password" type="password" autoComplete="new-password" required hint="At least 10 characters, at most 72 bytes." errors={fieldErrors("password")} />
      <button className="btn" type="submit" disabled={pending || linkDead} aria-busy={pending}>
        {pending ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}
