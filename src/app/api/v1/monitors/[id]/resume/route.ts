import { monitorViewSchema } from "@/server/monitors/schema";
import { getMonitor } from "@/server/services/monitors/get";
import { setMonitorsPaused } from "@/server/services/monitors/set-paused";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const POST = operation(
  {
    method: "POST",
    path: "/api/v1/monitors/{id}/resume",
    params: { id: "The monitor's id" },
    scope: "monitors:write",
    summary: "Resume a monitor",
    description: "Idempotent: resuming a running monitor answers its current state.",
    response: { status: 200, schema: monitorViewSchema, description: "The resumed monitor" },
    errors: ["not_found", "plan_limit_reached"],
  },
  async ({ caller, params }) => {
    await setMonitorsPaused({ ctx: caller.ctx, monitorIds: [params.id], paused: false });
    return { body: await getMonitor({ ctx: caller.ctx, monitorId: params.id }) };
  },
);
