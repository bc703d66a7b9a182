"use client";
import { useState } from "react";
import { Field, FormMessage } from "@/components/ui/field";
import { formValues, useJsonForm } from "./use-json-form";

export function ForgotPasswordForm() {
  const { pending, error, submit, fieldErrors } = useJsonForm<{ message: string }>("/api/auth/password-reset");
  const [done, setDone] = useState<string | null>(null);
  if (done) return <FormMessage ok message={done} />;
  return (
    <form
      className="form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await submit(formValues(e.currentTarget));
        if (r) setDone(r.message);
      }}
    >
      {error && !error.details && <FormMessage message={error.message} />}
      <Field label="Email" name="email" type="email" autoComplete="email" required errors={fieldErrors("email")} />
      <button className="btn" type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Sending…" : "Send reset link"}
      </button>
    </form>
  );
}
