import { eq } from "drizzle-orm";
import type { Tx } from "../db/client";
import { maintenanceWindows, type MaintenanceWindow, type Monitor } from "../db/schema";

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Local wall-clock parts of `at` in an IANA time zone. */
function localParts(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return { weekday: WEEKDAY[get("weekday")] ?? 1, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

/** Is `monitorId` inside this window at `at`? Weekly windows may run past midnight. */
export function windowCovers(
  w: Pick<MaintenanceWindow, "kind" | "monitorIds" | "startsAt" | "endsAt" | "weekdays" | "startTime" | "durationMinutes" | "timeZone">,
  monitorId: string,
  at: Date,
): boolean {
  if (w.monitorIds.length > 0 && !w.monitorIds.includes(monitorId)) return false;
  if (w.kind === "one_off") {
    return !!w.startsAt && !!w.endsAt && at >= w.startsAt && at < w.endsAt;
  }
  if (!w.weekdays?.length || !w.startTime || !w.durationMinutes) return false;
  const [h, m] = w.startTime.split(":").map(Number);
  const start = (h ?? 0) * 60 + (m ?? 0);
  const { weekday, minutes } = localParts(at, w.timeZone);
  const WEEK = 7 * 24 * 60;
  const nowInWeek = (weekday - 1) * 24 * 60 + minutes;
  return w.weekdays.some((d) => {
    const startInWeek = (d - 1) * 24 * 60 + start;
    const since = (nowInWeek - startInWeek + WEEK) % WEEK;
    return since < w.durationMinutes!;
  });
}

/** `cache` shares one read of an organization's windows across a batch. */
export async function inMaintenance(tx: Tx, m: Pick<Monitor, "id" | "organizationId">, at: Date, cache?: Map<string, Promise<MaintenanceWindow[]>>): Promise<boolean> {
  let read = cache?.get(m.organizationId);
  if (!read) {
    read = tx.select().from(maintenanceWindows).where(eq(maintenanceWindows.organizationId, m.organizationId));
    cache?.set(m.organizationId, read);
  }
  const windows = await read;
  return windows.some((w) => windowCovers(w, m.id, at));
}
