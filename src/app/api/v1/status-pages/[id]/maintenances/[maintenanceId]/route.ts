import { deleteStatusMaintenance } from "@/server/services/status-maintenances/delete";
import { updateStatusMaintenance } from "@/server/services/status-maintenances/update";
import { statusMaintenanceViewSchema } from "@/server/services/status-maintenances/view";
import { statusMaintenanceUpdateSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}/maintenances/{maintenanceId}";
const params = { id: "The status page's id", maintenanceId: "The maintenance's id" };

export const PATCH = operation(
  {
    method: "PATCH",
    path,
    params,
    scope: "status-pages:write",
    summary: "Change a maintenance (any subset of fields)",
    description: "The engine's maintenance window follows.",
    body: statusMaintenanceUpdateSchema,
    response: { status: 200, schema: statusMaintenanceViewSchema, description: "The maintenance after the change" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => ({ body: await updateStatusMaintenance({ ctx: caller.ctx, pageId: params.id, maintenanceId: params.maintenanceId, input: body }) }),
);

export const DELETE = operation(
  {
    method: "DELETE",
    path,
    params,
    scope: "status-pages:write",
    summary: "Cancel a maintenance",
    description: "Deletes it and its engine window: the monitors' alerts are no longer suppressed.",
    response: { status: 204, description: "Deleted" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => {
    await deleteStatusMaintenance({ ctx: caller.ctx, pageId: params.id, maintenanceId: params.maintenanceId });
    return { status: 204 };
  },
);
