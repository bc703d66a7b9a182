"use client";
import { Field, FormMessage } from "@/components/ui/field";
import { safeNext } from "@/web/safe-redirect";
import { formValues, useJsonForm } from "./use-json-form";

export function SignInForm({ next }: { next?: string }) {
  const { pending, error, submit, fieldErrors } = useJsonForm<{ status: "signed_in" | "2fa_required" }>("/api/auth/sign-in");
  return (
    <form
      className="form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await submit(formValues(e.currentTarget));
        if (!r) return;
        const dest = safeNext(next);
        window.location.assign(r.status === "2fa_required" ? `/sign-in/2fa?next=${encodeURIComponent(dest)}` : dest);
      }}
    >
      {error && <FormMessage message={error.message} />}
      <Field label="Email" name="email" type="email" autoComplete="username" required errors={fieldErrors("email")} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={fieldErrors("password")} />
      <button className="btn" type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
