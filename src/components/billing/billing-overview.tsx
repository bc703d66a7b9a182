/** Plan, usage bars, trial, invoices, upgrade and manage (issue 12). */
export function BillingOverview() {
  return null;
}
