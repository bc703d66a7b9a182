import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { TwoFactorCard } from "@/components/settings/two-factor-card";
import { listOwnSecurityEvents } from "@/server/services/audit/list-own-security-events";
import { remainingRecoveryCodes } from "@/server/services/auth/remaining-recovery-codes";
import { requireSession } from "@/web/session";

export const metadata = { title: "Security" };

const LABELS: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.sign_in_2fa_failed": "Wrong two-factor code",
  "auth.sign_out": "Signed out",
  "auth.2fa_enabled": "Two-factor turned on",
  "auth.2fa_disabled": "Two-factor turned off",
  "auth.recovery_codes_regenerated": "Recovery codes regenerated",
  "auth.password_changed": "Password changed",
  "auth.password_reset": "Password reset by email",
  "auth.password_reset_requested": "Password reset requested",
};

export default async function SecurityPage() {
  const s = await requireSession();
  const [events, remaining] = await Promise.all([listOwnSecurityEvents({ userId: s.user.id }), s.user.totpEnabled ? remainingRecoveryCodes({ userId: s.user.id }) : 0]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Security</h1>
          <p>Your password, two-factor authentication and recent sign-ins.</p>
        </div>
      </div>
      <section className="card" aria-labelledby="tfa">
        <h2 id="tfa" style={{ marginTop: 0 }}>
          Two-factor authentication
        </h2>
        <TwoFactorCard enabled={s.user.totpEnabled} remainingCodes={remaining} />
      </section>
      <section className="card" aria-labelledby="pw">
        <h2 id="pw" style={{ marginTop: 0 }}>
          Change password
        </h2>
        <ChangePasswordForm />
      </section>
      <section className="card" aria-labelledby="recent">
        <h2 id="recent" style={{ marginTop: 0 }}>
          Recent security events
        </h2>
        {events.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <table className="table stack">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">What</th>
                <th scope="col">IP</th>
                <th scope="col">Device</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="mono">{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{LABELS[e.action] ?? e.action}</td>
                  <td className="mono">{e.ip ?? "—"}</td>
                  <td className="muted" title={e.userAgent ?? ""}>
                    {(e.userAgent ?? "—").slice(0, 60)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
