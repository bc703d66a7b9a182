/** "2026-11-22T02:30" (a datetime-local value, no zone) read in `tz` → the UTC instant. */
export function zonedToUtc(local: string, tz: string): Date {
  const asUtc = new Date(`${local}:00Z`);
  if (Number.isNaN(asUtc.getTime())) return asUtc;
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(asUtc);
  const g = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const shown = Date.UTC(g("year"), g("month") - 1, g("day"), g("hour"), g("minute"));
  return new Date(asUtc.getTime() - (shown - asUtc.getTime()));
}
