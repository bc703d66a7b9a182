import { deleteMonitors } from "@/server/services/monitors/delete";
import { getMonitor } from "@/server/services/monitors/get";
import { updateMonitor } from "@/server/services/monitors/update";
import { objectBody } from "@/web/api-input";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const route = "/api/v1/monitors/{id}";

export const GET = apiRoute<{ id: string }>({ route, scope: "monitors:read" }, async ({ caller, params }) => ({ body: await getMonitor({ ctx: caller.ctx, monitorId: params.id }) }));

export const PATCH = apiRoute<{ id: string }>({ route, scope: "monitors:write" }, async ({ caller, params, body }) => ({
  body: await updateMonitor({ ctx: caller.ctx, monitorId: params.id, patch: objectBody(body) }),
}));

export const DELETE = apiRoute<{ id: string }>({ route, scope: "monitors:write" }, async ({ caller, params }) => {
  await deleteMonitors({ ctx: caller.ctx, monitorIds: [params.id] });
  return { status: 204 };
});
