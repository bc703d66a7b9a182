import { BillingOverview } from "@/components/billing/billing-overview";
import { PERMISSIONS, can } from "@/server/auth/permissions";
import { getBillingOverview } from "@/server/services/billing/get-billing-overview";
import { listMembers } from "@/server/services/organizations/list-members";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Billing" };

export default async function BillingPage({ searchParams }: { searchParams: Promise<{ checkout?: string | string[] }> }) {
  const ctx = await requireCtx();
  const head = (
    <div className="page-head">
      <div>
        <h1>Billing</h1>
        <p>{ctx.org.name}&apos;s plan, usage and invoices.</p>
      </div>
    </div>
  );
  if (!can(ctx.org.role, "billing:manage")) {
    // Members who cannot manage billing learn whom to ask rather than meeting a dead end.
    const { members } = await listMembers({ ctx });
    const admins = members.filter((m) => can(m.role, "billing:manage"));
    return (
      <>
        {head}
        <section className="card" aria-labelledby="who-manages">
          <h2 id="who-manages" className="card-title">
            Billing is managed by {PERMISSIONS["billing:manage"]}s
          </h2>
          <p>
            Your role ({ctx.org.role}) cannot see or change billing. Ask one of {ctx.org.name}&apos;s admins:
          </p>
          <ul className="plain-list">
            {admins.map((a) => (
              <li key={a.userId}>
                {a.name} <span className="mono muted">{a.email}</span>
              </li>
            ))}
          </ul>
        </section>
      </>
    );
  }
  const overview = await getBillingOverview({ ctx });
  const { checkout } = await searchParams;
  return (
    <>
      {head}
      <BillingOverview overview={overview} checkout={typeof checkout === "string" ? checkout : null} />
    </>
  );
}
