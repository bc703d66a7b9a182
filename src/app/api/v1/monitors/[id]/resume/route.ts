import { getMonitor } from "@/server/services/monitors/get";
import { setMonitorsPaused } from "@/server/services/monitors/set-paused";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

/** Idempotent: resuming a running monitor answers its current state. */
export const POST = apiRoute<{ id: string }>({ route: "/api/v1/monitors/{id}/resume", scope: "monitors:write" }, async ({ caller, params }) => {
  await setMonitorsPaused({ ctx: caller.ctx, monitorIds: [params.id], paused: false });
  return { body: await getMonitor({ ctx: caller.ctx, monitorId: params.id }) };
});
