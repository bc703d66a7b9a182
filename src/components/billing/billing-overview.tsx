import type { BillingOverview as Overview, LimitUsage } from "@/server/services/billing/get-billing-overview";
import { PLANS } from "@/server/billing/plans";
import { DowngradeKeepForm, ManageBillingButton, UpgradeButtons } from "./billing-actions";

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : "—");

// Stripe amounts are in the currency's smallest unit; these currencies have none below the unit.
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
function money(amount: number, currency: string): string {
  const value = ZERO_DECIMAL.has(currency.toLowerCase()) ? amount : amount / 100;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(value);
  } catch {
    return `${value} ${currency.toUpperCase()}`;
  }
}

const SOURCE_LABEL: Record<Overview["plan"]["source"], string> = {
  "self-hosted": "Self-hosted — no billing",
  comped: "Comped by the operator",
  subscription: "Subscription",
  grace: "Payment overdue",
  free: "No subscription",
};

function figure(n: number | null, unit: string): string {
  return n === null ? "unlimited" : `${n.toLocaleString("en")} ${unit}`;
}

/** One limit: a meter for counted limits, a sentence for the shortest interval and the settings. */
function UsageRow({ u }: { u: LimitUsage }) {
  const id = `usage-${u.name}`;
  const cls = `usage-row${u.over ? " over" : u.atLimit ? " at-limit" : ""}`;
  let text: string;
  let meter: React.ReactNode = null;
  if (u.name === "minIntervalSeconds") {
    text = u.used === null ? `No monitors yet; the plan allows every ${u.allowed} s or longer` : `Shortest in use ${u.used} s; the plan allows ${u.allowed} s or longer`;
  } else if (u.used === null) {
    text = figure(u.allowed, u.unit);
  } else if (u.allowed === 0 && !u.over) {
    text = "Not included in this plan";
  } else if (u.allowed === null) {
    text = `${u.used.toLocaleString("en")} (unlimited)`;
  } else {
    text = `${u.used.toLocaleString("en")} of ${u.allowed.toLocaleString("en")}`;
    meter = (
      <meter
        id={id}
        min={0}
        max={Math.max(u.allowed, 1)}
        low={u.allowed * 0.8}
        high={u.allowed}
        optimum={0}
        value={Math.min(u.used, Math.max(u.allowed, 1))}
        aria-labelledby={`${id}-label ${id}-figure`}
      />
    );
  }
  return (
    <li className={cls} data-testid={id}>
      <div className="usage-head">
        <span id={`${id}-label`}>{u.label}</span>
        <span id={`${id}-figure`} className="usage-figure">
          {text}
          {u.over ? " — over the plan" : u.atLimit && u.used !== null ? " — at the limit" : ""}
        </span>
      </div>
      {meter}
    </li>
  );
}

/** Settings → Billing: plan, usage against every limit, upgrades, invoices and billing details. */
export function BillingOverview({ overview: o, checkout }: { overview: Overview; checkout: string | null }) {
  const sub = o.subscription;
  const live = !!sub?.live;
  const currentPlan = o.plans.find((p) => p.id === o.plan.id);
  return (
    <>
      {o.enabled && checkout === "success" && (
        <p className="notice" role="status">
          Thank you. Stripe has taken your order; the new plan shows here as soon as Stripe confirms it, usually within seconds.
        </p>
      )}
      {o.enabled && checkout === "cancelled" && (
        <p className="notice" role="status">
          Checkout was cancelled: nothing was charged and your plan is unchanged.
        </p>
      )}
      {o.stripeUnavailable && (
        <p className="notice" role="status">
          Stripe could not be reached just now, so billing details and the latest invoices may be missing. Reload in a minute.
        </p>
      )}

      <section className="card" aria-labelledby="current-plan" data-testid="current-plan">
        <h2 id="current-plan" className="card-title">
          Current plan
        </h2>
        <p className="plan-name">
          <strong>{o.plan.name}</strong> <span className="badge">{o.plan.source === "subscription" && sub?.status === "trialing" ? "Trial" : SOURCE_LABEL[o.plan.source]}</span>
        </p>
        {o.plan.source === "self-hosted" && <p className="muted">This install runs without billing: the limits below are the ones its operator set.</p>}
        {o.plan.source === "comped" && <p className="muted">{o.plan.compedUntil ? `Provided by the operator until ${day(o.plan.compedUntil)}.` : "Provided by the operator."}</p>}
        {sub?.trialDaysLeft !== null && sub?.trialDaysLeft !== undefined && (
          <p>
            Trial: <strong>{sub.trialDaysLeft === 1 ? "1 day" : `${sub.trialDaysLeft} days`} left</strong> (ends {day(sub.trialEndsAt)}).
          </p>
        )}
        {live && sub.currentPeriodEnd && sub.status !== "past_due" && (
          <p>
            {sub.cancelAtPeriodEnd
              ? `Cancels on ${day(sub.currentPeriodEnd)}; the Free plan applies after that.`
              : `Renews on ${day(sub.currentPeriodEnd)}${sub.interval ? `, billed ${sub.interval === "year" ? "yearly" : "monthly"}` : ""}.`}
          </p>
        )}
        {o.plan.source === "grace" && (
          <p className="danger-text" role="alert">
            The last payment failed. {o.plan.name} stays until {day(o.plan.graceEndsAt)}; after that the organization falls to the Free plan. Update the payment method in Manage billing.
          </p>
        )}
        {o.plan.source === "free" && sub && (sub.status === "past_due" || sub.status === "unpaid") && (
          <p className="danger-text" role="alert">
            Payment is overdue and the grace period has ended: the Free plan applies until Stripe collects the payment.
          </p>
        )}
        {o.enabled && o.hasCustomer && (
          <div className="row">
            <ManageBillingButton />
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="usage">
        <h2 id="usage" className="card-title">
          Usage {o.enabled ? `on ${o.plan.name}` : "and limits"}
        </h2>
        <ul className="usage-list">
          {o.usage.map((u) => (
            <UsageRow key={u.name} u={u} />
          ))}
        </ul>
        {o.usage.some((u) => u.over) && o.enabled && <p className="warn-text small-text">Over a limit: new monitors, pages or members beyond it are refused until you upgrade or remove some.</p>}
      </section>

      {o.enabled && (
        <section className="card" aria-labelledby="plans">
          <h2 id="plans" className="card-title">
            Plans
          </h2>
          {live ? (
            <p className="muted">To change plan or interval, or to cancel, use Manage billing: Stripe prorates the change.</p>
          ) : o.trialDays > 0 ? (
            <p className="muted">Your first upgrade starts with a {o.trialDays}-day free trial. Card details are entered on Stripe&apos;s page, never here.</p>
          ) : (
            <p className="muted">Card details are entered on Stripe&apos;s page, never here.</p>
          )}
          <div className="plan-grid">
            {o.plans.map((p) => (
              <div key={p.id} className={`plan-card${currentPlan?.id === p.id ? " current" : ""}`} data-testid={`plan-${p.id}`}>
                <h3>
                  {p.name} {currentPlan?.id === p.id && <span className="badge ok">Current</span>}
                </h3>
                <p className="muted small-text">{p.blurb}</p>
                <ul className="small-text">
                  <li>{figure(p.limits.monitors, "monitors")}</li>
                  <li>Checks every {p.limits.minIntervalSeconds} s or longer</li>
                  <li>{p.limits.regions === null ? "Every region" : `${p.limits.regions} regions per monitor`}</li>
                  <li>{figure(p.limits.statusPages, "status pages")}</li>
                  <li>{figure(p.limits.members, "members")}</li>
                  <li>{p.limits.retentionDays} days of results</li>
                  <li>{figure(p.limits.smsPerMonth, "SMS a month")}</li>
                  <li>{p.limits.apiRequestsPerMinute.toLocaleString("en")} API requests a minute</li>
                </ul>
                {live ? null : p.intervals.length ? <UpgradeButtons plan={p.id} planName={p.name} intervals={p.intervals} /> : <p className="muted small-text">Not for sale on this install.</p>}
              </div>
            ))}
          </div>
        </section>
      )}

      {o.nextInvoice && (
        <section className="card" aria-labelledby="next-invoice">
          <h2 id="next-invoice" className="card-title">
            Next invoice
          </h2>
          <p>
            <strong>{money(o.nextInvoice.amountDue, o.nextInvoice.currency)}</strong>
            {o.nextInvoice.date && ` on ${day(o.nextInvoice.date)}`}
          </p>
        </section>
      )}

      {o.enabled && (o.hasCustomer || o.invoices.length > 0) && (
        <section className="card table-card" aria-labelledby="invoices">
          <h2 id="invoices" className="card-title" style={{ padding: "1rem 1rem 0" }}>
            Invoices
          </h2>
          {o.invoices.length === 0 ? (
            <p className="muted" style={{ padding: "0 1rem 1rem" }}>
              No invoices yet.
            </p>
          ) : (
            <div className="table-scroll">
              <table className="table compact" data-testid="invoices">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Number</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="sr-only">Link</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {o.invoices.map((i) => (
                    <tr key={i.id}>
                      <td className="mono">{day(i.createdAt)}</td>
                      <td className="mono">{i.number ?? "—"}</td>
                      <td className="num">{money(i.status === "paid" ? i.amountPaid : i.amountDue, i.currency)}</td>
                      <td>
                        <span className={i.status === "paid" ? "badge ok" : "badge"}>{i.status}</span>
                      </td>
                      <td>
                        {i.url && (
                          <a href={i.url} target="_blank" rel="noopener noreferrer">
                            View<span className="sr-only"> invoice {i.number ?? i.id}</span>
                          </a>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {o.details && (
        <section className="card" aria-labelledby="billing-details">
          <h2 id="billing-details" className="card-title">
            Billing details
          </h2>
          <dl className="billing-details">
            <dt>Billing email</dt>
            <dd>{o.details.email ?? "—"}</dd>
            <dt>Company</dt>
            <dd>{o.details.name ?? "—"}</dd>
            <dt>Address</dt>
            <dd>{o.details.address.length ? o.details.address.join(", ") : "—"}</dd>
            <dt>Tax ID</dt>
            <dd className="mono">{o.details.taxIds.length ? o.details.taxIds.map((t) => `${t.value} (${t.type.replace("_", " ").toUpperCase()})`).join(", ") : "—"}</dd>
          </dl>
          <p className="muted small-text">Kept by Stripe and printed on invoices. Change them in Manage billing.</p>
        </section>
      )}

      {o.enabled && (o.monitors.length > PLANS.free.limits.monitors || o.monitors.some((m) => m.pausedByPlan)) && (
        <section className="card" aria-labelledby="downgrade-keep">
          <h2 id="downgrade-keep" className="card-title">
            If the plan shrinks
          </h2>
          <p className="muted small-text">
            Nothing is deleted by a downgrade: monitors beyond the new plan&apos;s limit are paused, the newest first, and resume when the plan allows them again. Tick the ones that must keep running.
          </p>
          <DowngradeKeepForm monitors={o.monitors} freeLimit={PLANS.free.limits.monitors} />
        </section>
      )}
    </>
  );
}
