import { monitorViewSchema } from "@/server/monitors/schema";
import { deleteMonitors } from "@/server/services/monitors/delete";
import { getMonitor } from "@/server/services/monitors/get";
import { updateMonitor } from "@/server/services/monitors/update";
import { monitorInputSchema } from "@/server/monitors/schema";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/monitors/{id}";
const params = { id: "The monitor's id" };

export const GET = operation(
  { method: "GET", path, params, scope: "monitors:read", summary: "Get a monitor", response: { status: 200, schema: monitorViewSchema, description: "The monitor" }, errors: ["not_found"] },
  async ({ caller, params }) => ({ body: await getMonitor({ ctx: caller.ctx, monitorId: params.id }) }),
);

export const PATCH = operation(
  {
    method: "PATCH",
    path,
    params,
    scope: "monitors:write",
    summary: "Change a monitor (any subset of fields)",
    body: monitorInputSchema,
    response: { status: 200, schema: monitorViewSchema, description: "The monitor after the change" },
    errors: ["not_found", "plan_limit_reached"],
  },
  async ({ caller, params, body }) => ({ body: await updateMonitor({ ctx: caller.ctx, monitorId: params.id, patch: body }) }),
);

export const DELETE = operation(
  { method: "DELETE", path, params, scope: "monitors:write", summary: "Delete a monitor", response: { status: 204, description: "Deleted" }, errors: ["not_found"] },
  async ({ caller, params }) => {
    await deleteMonitors({ ctx: caller.ctx, monitorIds: [params.id] });
    return { status: 204 };
  },
);
