import { z } from "zod";
import { enumParam } from "@/server/api/query";
import { uptimeSchema } from "@/server/api/views";
import { getUptime, WINDOWS, type UptimeWindow } from "@/server/services/monitors/uptime";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/monitors/{id}/uptime",
    params: { id: "The monitor's id" },
    scope: "monitors:read",
    summary: "Uptime % and latency percentiles for a window (from rollups)",
    query: z.object({ window: enumParam(Object.keys(WINDOWS) as [UptimeWindow, ...UptimeWindow[]], "Window", "24h") }),
    response: { status: 200, schema: uptimeSchema, description: "Uptime" },
    errors: ["not_found"],
  },
  async ({ caller, params, query }) => ({ body: await getUptime({ ctx: caller.ctx, monitorId: params.id, window: query.window ?? "24h" }) }),
);
