import { requireCtx } from "@/web/session";

export const metadata = { title: "Monitors" };

export default async function MonitorsPage() {
  const ctx = await requireCtx();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Monitors</h1>
          <p>Checks that watch your sites, APIs, ports, certificates and cron jobs from the outside.</p>
        </div>
      </div>
      <section className="empty" aria-labelledby="no-monitors">
        <h2 id="no-monitors">No monitors in {ctx.org.name} yet</h2>
        <p>
          Add your first monitor to start checking a URL every minute. You will be alerted when it goes down and again when it
          recovers. Monitor types and alerting arrive with the monitoring engine; meanwhile, invite your team from{" "}
          <a href="/settings/members">Members</a> and secure your account with two-factor authentication in{" "}
          <a href="/settings/security">Security</a>.
        </p>
      </section>
    </>
  );
}
