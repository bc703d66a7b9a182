import { BillingOverview } from "@/components/billing/billing-overview";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  const ctx = await requireCtx();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Billing</h1>
          <p>{ctx.org.name}&apos;s plan, usage and invoices.</p>
        </div>
      </div>
      <BillingOverview />
    </>
  );
}
