import Link from "next/link";
import type { PastDueNotice } from "@/server/services/billing/get-past-due-notice";

/** Across the dashboard, for those who manage billing: the last payment failed. */
export function PastDueBanner({ notice }: { notice: PastDueNotice }) {
  return (
    <div className="billing-banner" role="alert" data-testid="past-due-banner">
      <strong>Payment failed.</strong>{" "}
      {notice.graceEndsAt
        ? `${notice.plan} stays until ${notice.graceEndsAt.slice(0, 10)}; after that the organization falls to the Free plan and monitors beyond its limit are paused.`
        : "The grace period has ended: the Free plan applies until the payment goes through."}{" "}
      <Link href="/settings/billing">Update the payment method</Link>
    </div>
  );
}
