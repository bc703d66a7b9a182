import { listOf } from "@/server/api/views";
import { createStatusMaintenance } from "@/server/services/status-maintenances/create";
import { listStatusMaintenances } from "@/server/services/status-maintenances/list";
import { statusMaintenanceViewSchema } from "@/server/services/status-maintenances/view";
import { statusMaintenanceCreateSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}/maintenances";
const params = { id: "The status page's id" };

export const GET = operation(
  {
    method: "GET",
    path,
    params,
    scope: "status-pages:read",
    summary: "List a status page's maintenances",
    response: { status: 200, schema: listOf(statusMaintenanceViewSchema, "StatusMaintenanceList"), description: "Latest start first" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => ({ body: { data: await listStatusMaintenances({ ctx: caller.ctx, pageId: params.id }) } }),
);

export const POST = operation(
  {
    method: "POST",
    path,
    params,
    scope: "status-pages:write",
    summary: "Schedule a maintenance",
    description:
      "Also creates the engine's maintenance window for the components' monitors (all the page's when componentIds is empty), so the announced window suppresses their alerts. At most 31 days.",
    body: statusMaintenanceCreateSchema,
    response: { status: 201, schema: statusMaintenanceViewSchema, description: "The new maintenance" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => {
    const m = await createStatusMaintenance({ ctx: caller.ctx, pageId: params.id, input: body });
    return { status: 201, body: m, headers: { location: `/api/v1/status-pages/${params.id}/maintenances/${m.id}` } };
  },
);
