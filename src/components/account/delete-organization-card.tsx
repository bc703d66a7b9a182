import { can } from "@/server/auth/permissions";
import { env } from "@/server/env";
import { requireCtx } from "@/web/session";
import { DeleteOrganizationForm } from "./delete-organization-form";

/** "Delete this organization" with a 7-day undo, for ADMINs (issue 13). */
export async function DeleteOrganizationCard() {
  const ctx = await requireCtx();
  if (!can(ctx.org.role, "org:manage")) return null;
  const days = env().ERASURE_GRACE_DAYS;
  return (
    <section className="card" aria-labelledby="delete-org">
      <h2 id="delete-org" style={{ marginTop: 0 }}>
        Delete this organization
      </h2>
      <p>
        At once: every check stops, heartbeat URLs and status pages (with their feeds and badges) answer 404, API keys are refused, pending notifications are dropped, and no member sees{" "}
        <strong>{ctx.org.name}</strong> any more. We email you a link that restores it as it was for <strong>{days} days</strong>; after that its monitors, results, incidents, status pages, channels,
        keys and audit log are erased for good. Invoices are kept as the law requires, without a link to the organization.
      </p>
      <DeleteOrganizationForm slug={ctx.org.slug} twoFactor={ctx.session.user.totpEnabled} />
    </section>
  );
}
