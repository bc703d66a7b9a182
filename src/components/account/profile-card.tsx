"use client";
import { useActionState } from "react";
import { requestEmailChangeAction, resendConfirmationAction, updateProfileAction } from "@/web/actions/account";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";
import type { SessionUser } from "@/server/auth/session";

/** Name and email (a new email takes effect when its mailed link is opened), and 2FA state. */
export function ProfileCard({ user }: { user: SessionUser }) {
  const [nameState, nameAction] = useActionState<FormState, FormData>(updateProfileAction, {});
  const [emailState, emailAction] = useActionState<FormState, FormData>(requestEmailChangeAction, {});
  return (
    <section className="card" aria-labelledby="profile">
      <h2 id="profile" style={{ marginTop: 0 }}>
        Profile
      </h2>
      <dl className="row" style={{ gap: "2rem" }}>
        <div>
          <dt className="muted">Email</dt>
          <dd className="mono" style={{ margin: 0 }} data-testid="account-email">
            {user.email}
          </dd>
        </div>
        <div>
          <dt className="muted">Address</dt>
          <dd style={{ margin: 0 }}>{user.emailConfirmed ? "Confirmed" : "Not confirmed yet"}</dd>
        </div>
        <div>
          <dt className="muted">Two-factor</dt>
          <dd style={{ margin: 0 }}>{user.totpEnabled ? "On" : "Off"}</dd>
        </div>
      </dl>
      {!user.emailConfirmed && <ResendConfirmation email={user.email} />}

      <h3>Name</h3>
      <form action={nameAction} className="form" noValidate data-testid="name-form">
        <FormMessage message={nameState.message} ok={nameState.ok} />
        <Field label="Your name" name="name" autoComplete="name" defaultValue={nameState.values?.name ?? user.name} errors={nameState.fields?.name} />
        <div>
          <SubmitButton pendingText="Saving…">Save name</SubmitButton>
        </div>
      </form>

      <h3>Change email</h3>
      <p className="muted">We send a link to the new address; your email changes when you open it, and we tell the current address. Your sessions stay signed in.</p>
      <form action={emailAction} className="form" noValidate data-testid="email-change-form">
        <FormMessage message={emailState.message} ok={emailState.ok} />
        <Field label="New email" name="email" type="email" autoComplete="email" defaultValue={emailState.ok ? "" : emailState.values?.email} errors={emailState.fields?.email} />
        <Field
          label="Current password"
          name="password"
          type="password"
          autoComplete="current-password"
          hint="Your email receives password resets, so changing it needs your password."
          errors={emailState.fields?.password}
        />
        <div>
          <SubmitButton pendingText="Sending…">Send confirmation link</SubmitButton>
        </div>
      </form>
    </section>
  );
}

function ResendConfirmation({ email }: { email: string }) {
  const [state, action] = useActionState<FormState, FormData>(resendConfirmationAction, {});
  return (
    <form action={action} className="form" style={{ marginTop: "1rem" }}>
      <p>
        Confirm <span className="mono">{email}</span> by opening the link we emailed you. Until then this account sends no alert email and cannot invite anyone.
      </p>
      <FormMessage message={state.message} ok={state.ok} />
      <div>
        <SubmitButton className="btn secondary" pendingText="Sending…">
          Resend confirmation email
        </SubmitButton>
      </div>
    </form>
  );
}
