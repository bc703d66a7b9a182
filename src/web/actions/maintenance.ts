"use server";
import { revalidatePath } from "next/cache";
import { createMaintenanceWindow } from "@/server/services/maintenance-windows/create";
import { deleteMaintenanceWindow } from "@/server/services/maintenance-windows/delete";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";
import { zonedToUtc } from "@/web/zoned-time";

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
