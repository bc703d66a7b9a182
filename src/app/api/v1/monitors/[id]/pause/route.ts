import { getMonitor } from "@/server/services/monitors/get";
import { setMonitorsPaused } from "@/server/services/monitors/set-paused";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

/** Idempotent: pausing a paused monitor answers its current state. */
export const POST = apiRoute<{ id: string }>({ route: "/api/v1/monitors/{id}/pause", scope: "monitors:write" }, async ({ caller, params }) => {
  await setMonitorsPaused({ ctx: caller.ctx, monitorIds: [params.id], paused: true });
  return { body: await getMonitor({ ctx: caller.ctx, monitorId: params.id }) };
});
