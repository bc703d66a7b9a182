import { planOf } from "@/server/billing/limits";
import { PLANS } from "@/server/billing/plans";
import { env } from "@/server/env";
import { retentionRules } from "@/server/privacy/retention";

const days = (n: number) => (n % 365 === 0 ? `${n / 365} year${n === 365 ? "" : "s"}` : `${n} day${n === 1 ? "" : "s"}`);

/** Each retention that applies to the organization: its plan's, and the install's fixed ones. */
export async function RetentionCard({ organizationId }: { organizationId: string }) {
  const plan = await planOf(organizationId);
  const rules = retentionRules(plan.limits);
  return (
    <section className="card" aria-labelledby="retention">
      <h2 id="retention" style={{ marginTop: 0 }}>
        Data retention
      </h2>
      <p>
        On the <strong>{PLANS[plan.plan].name}</strong> plan, monitoring data is kept for <strong>{days(plan.limits.retentionDays)}</strong>. A daily job deletes everything older than this table says.
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Data</th>
            <th scope="col">Kept for</th>
            <th scope="col">What it holds</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.what}>
              <td>{r.what}</td>
              <td>{days(r.days)}</td>
              <td className="muted">{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Deleting a monitor deletes its results and rollups. A deleted organization or account can be restored for {days(env().ERASURE_GRACE_DAYS)}; then every record of it is purged.
      </p>
    </section>
  );
}
