"use client";
import { useActionState } from "react";
import { confirmEnrollmentAction, disableTwoFactorAction, regenerateCodesAction, startEnrollmentAction } from "@/web/actions/security";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div className="card" style={{ background: "var(--bg)" }}>
      <p>
        <strong>Save these recovery codes now.</strong> Each one signs you in once if you lose your device. They will not be shown again.
      </p>
      <div className="codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <span key={c}>{c}</span>
        ))}
      </div>
    </div>
  );
}

export function TwoFactorCard({ enabled, remainingCodes }: { enabled: boolean; remainingCodes: number }) {
  const [start, startAction] = useActionState<FormState, FormData>(startEnrollmentAction, {});
  const [confirm, confirmAction] = useActionState<FormState, FormData>(confirmEnrollmentAction, {});
  const [disable, disableAction] = useActionState<FormState, FormData>(disableTwoFactorAction, {});
  const [regen, regenAction] = useActionState<FormState, FormData>(regenerateCodesAction, {});

  const confirmedCodes = confirm.data?.recoveryCodes as string[] | undefined;
  if (confirmedCodes) {
    return (
      <>
        <FormMessage ok message={confirm.message} />
        <RecoveryCodes codes={confirmedCodes} />
      </>
    );
  }

  if (enabled && !disable.ok) {
    const regenerated = regen.data?.recoveryCodes as string[] | undefined;
    return (
      <>
        <p>
          <span className="badge ok">On</span> Sign-in asks for a code from your authenticator app. {remainingCodes} unused recovery code{remainingCodes === 1 ? "" : "s"} left.
        </p>
        {regenerated && <RecoveryCodes codes={regenerated} />}
        <form action={regenAction} className="form" noValidate>
          <FormMessage message={regen.ok ? undefined : regen.message} />
          <Field label="Authentication code" name="code" id="regen-code" autoComplete="one-time-code" errors={regen.fields?.code} />
          <div>
            <SubmitButton className="btn secondary">Regenerate recovery codes</SubmitButton>
          </div>
        </form>
        <h3>Turn off two-factor authentication</h3>
        <form action={disableAction} className="form" noValidate>
          <FormMessage message={disable.message} ok={disable.ok} />
          <Field label="Password" name="password" id="disable-password" type="password" autoComplete="current-password" errors={disable.fields?.password} />
          <Field label="Authentication or recovery code" name="code" id="disable-code" autoComplete="one-time-code" errors={disable.fields?.code} />
          <div>
            <SubmitButton className="btn danger">Turn off two-factor</SubmitButton>
          </div>
        </form>
      </>
    );
  }

  const secret = start.data?.secret as string | undefined;
  if (!secret) {
    return (
      <form action={startAction} className="form">
        <FormMessage message={disable.ok ? disable.message : start.message} ok={disable.ok} />
        <p className="muted">Protect your account with a code from an authenticator app (1Password, Google Authenticator, Authy…).</p>
        <div>
          <SubmitButton>Set up two-factor authentication</SubmitButton>
        </div>
      </form>
    );
  }
  return (
    <div className="row" style={{ alignItems: "flex-start", gap: "1.5rem" }}>
      <img className="qr" src={start.data!.qrDataUrl as string} alt="QR code for your authenticator app" width={196} height={196} />
      <div style={{ flex: 1, minWidth: 260 }}>
        <p>Scan the QR code, or type this secret into your app:</p>
        <p>
          <code data-testid="totp-secret">{secret.replace(/(.{4})/g, "$1 ").trim()}</code>
        </p>
        <form action={confirmAction} className="form" noValidate>
          <FormMessage message={confirm.ok ? undefined : confirm.message && !confirm.fields ? confirm.message : undefined} />
          <Field label="Authentication code" name="code" autoComplete="one-time-code" inputMode="numeric" required errors={confirm.fields?.code} hint="The 6 digits your app shows now" />
          <div>
            <SubmitButton pendingText="Verifying…">Verify and enable</SubmitButton>
          </div>
        </form>
      </div>
    </div>
  );
}
