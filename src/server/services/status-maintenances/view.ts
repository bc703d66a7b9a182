import { z } from "zod";
import { isoTime } from "../../api/views";
import type { StatusMaintenance } from "../../db/schema";
import { MAINTENANCE_STATUSES, maintenanceStatusOf } from "../../status/model";

export const statusMaintenanceViewSchema = z
  .object({
    id: z.uuid(),
    pageId: z.uuid(),
    maintenanceWindowId: z.uuid().nullable().describe("The engine's maintenance window that suppresses the components' alerts"),
    title: z.string(),
    message: z.string(),
    componentIds: z.array(z.uuid()).describe("Empty: every component of the page"),
    startsAt: isoTime,
    endsAt: isoTime,
    status: z.enum(MAINTENANCE_STATUSES),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .strict()
  .meta({ id: "StatusMaintenance" });
export type StatusMaintenanceView = z.infer<typeof statusMaintenanceViewSchema>;

export function toStatusMaintenanceView(m: StatusMaintenance, now = new Date()): StatusMaintenanceView {
  return {
    id: m.id,
    pageId: m.pageId,
    maintenanceWindowId: m.maintenanceWindowId,
    title: m.title,
    message: m.message,
    componentIds: m.componentIds,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    status: maintenanceStatusOf(m, now),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
