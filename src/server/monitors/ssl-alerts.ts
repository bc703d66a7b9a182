/** Days-before-expiry at which a certificate alert goes out, once each per certificate. */
export const SSL_ALERT_DAYS = [30, 14, 7, 1] as const;

/**
 * The threshold to alert now, if any. `alerted` is the lowest threshold already alerted for
 * the current certificate (null: none). A certificate first seen with 10 days left alerts once
 * (at 14), not for 30 and 14; an expired one counts as the last threshold.
 * Returns { alert, level }: level is what to store (null once renewed past 30 days).
 */
export function sslAlertStep(daysLeft: number, alerted: number | null): { alert: number | null; level: number | null } {
  const crossed = SSL_ALERT_DAYS.filter((d) => daysLeft <= d);
  const level = crossed.length ? crossed[crossed.length - 1]! : null;
  if (level === null) return { alert: null, level: null };
  if (alerted === null || level < alerted) return { alert: level, level };
  return { alert: null, level: alerted };
}

export const daysUntil = (validTo: string | Date, now: Date) => Math.floor((new Date(validTo).getTime() - now.getTime()) / 86_400_000);
