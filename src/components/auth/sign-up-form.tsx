"use client";
import { Field, FormMessage } from "@/components/ui/field";
import { formValues, useJsonForm } from "./use-json-form";

export function SignUpForm() {
  const { pending, error, submit, fieldErrors } = useJsonForm<{ ok: true }>("/api/auth/sign-up");
  return (
    <form
      className="form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await submit(formValues(e.currentTarget));
        if (r) window.location.assign("/monitors");
      }}
    >
      {error && !error.details && <FormMessage message={error.message} />}
      <Field label="Your name" name="name" autoComplete="name" required errors={fieldErrors("name")} />
      <Field label="Work email" name="email" type="email" autoComplete="email" required errors={fieldErrors("email")} />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required hint="At least 10 characters. A passphrase works well." errors={fieldErrors("password")} />
      <Field
        label="Organization name"
        name="organizationName"
        autoComplete="organization"
        required
        hint="Your team or company. You can invite others later."
        errors={fieldErrors("organizationName")}
      />
      <button className="btn" type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
