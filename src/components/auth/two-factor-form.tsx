"use client";
import { Field, FormMessage } from "@/components/ui/field";
import { safeNext } from "@/web/safe-redirect";
import { formValues, useJsonForm } from "./use-json-form";

export function TwoFactorForm({ next }: { next?: string }) {
  const { pending, error, submit, fieldErrors } = useJsonForm<{ status: "signed_in" }>("/api/auth/sign-in/2fa");
  return (
    <form
      className="form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await submit(formValues(e.currentTarget));
        if (r) window.location.assign(safeNext(next));
        else if (error?.code === "unauthorized") window.location.assign("/sign-in");
      }}
    >
      {error && !error.details && <FormMessage message={error.message} />}
      <Field
        label="Authentication code"
        name="code"
        autoComplete="one-time-code"
        inputMode="text"
        autoFocus
        required
        hint="6 digits from your app, or a recovery code like abcde-fghij"
        errors={fieldErrors("code")}
      />
      <button className="btn" type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Checking…" : "Verify"}
      </button>
    </form>
  );
}
