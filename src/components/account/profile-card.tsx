import type { SessionUser } from "@/server/auth/session";

/** Name, email and 2FA state. Editing name and email (confirmed by link) lands in issue 13. */
export function ProfileCard({ user }: { user: SessionUser }) {
  return (
    <section className="card">
      <dl className="row" style={{ gap: "2rem" }}>
        <div>
          <dt className="muted">Name</dt>
          <dd style={{ margin: 0 }}>{user.name}</dd>
        </div>
        <div>
          <dt className="muted">Email</dt>
          <dd className="mono" style={{ margin: 0 }}>
            {user.email}
          </dd>
        </div>
        <div>
          <dt className="muted">Two-factor</dt>
          <dd style={{ margin: 0 }}>{user.totpEnabled ? "On" : "Off"}</dd>
        </div>
      </dl>
    </section>
  );
}
