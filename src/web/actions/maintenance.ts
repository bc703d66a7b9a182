"use server";
import { revalidatePath } from "next/cache";
import { createMaintenanceWindow } from "@/server/services/maintenance-windows/create";
import { deleteMaintenanceWindow } from "@/server/services/maintenance-windows/delete";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

export async function createMaintenanceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const kind = String(formData.get("kind") ?? "");
    const tz = String(formData.get("timeZone") ?? "UTC") || "UTC";
    const str = (k: string) => {
      const v = formData.get(k);
      return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
    };
    // datetime-local values carry no zone; they are read in the window's time zone.
    const local = (v: string | undefined) => (v ? zonedToUtc(v, tz) : undefined);
    await createMaintenanceWindow({
      ctx,
      input: {
        name: str("name") ?? "",
        kind,
        monitorIds: formData.getAll("monitorIds").map(String),
        startsAt: local(str("startsAt")),
        endsAt: local(str("endsAt")),
        weekdays: formData.getAll("weekdays").map(Number),
        startTime: str("startTime"),
        durationMinutes: str("durationMinutes"),
        timeZone: tz,
      },
    });
    revalidatePath("/maintenance");
    return { ok: true, message: "Maintenance window saved." };
  });
}

export async function deleteMaintenanceAction(formData: FormData): Promise<void> {
  await runAction(formData, async () => {
    const ctx = await requireCtx();
    await deleteMaintenanceWindow({ ctx, id: String(formData.get("id") ?? "") });
    revalidatePath("/maintenance");
  });
}

/** "2026-11-22T02:30" in `tz` → the UTC instant. */
function zonedToUtc(local: string, tz: string): Date {
  const asUtc = new Date(`${local}:00Z`);
  if (Number.isNaN(asUtc.getTime())) return asUtc;
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(asUtc);
  const g = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const shown = Date.UTC(g("year"), g("month") - 1, g("day"), g("hour"), g("minute"));
  return new Date(asUtc.getTime() - (shown - asUtc.getTime()));
}
