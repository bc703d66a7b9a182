import { getUptime } from "@/server/services/monitors/uptime";
import { knownQuery } from "@/web/api-input";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>({ route: "/api/v1/monitors/{id}/uptime", scope: "monitors:read" }, async ({ caller, params, url }) => {
  knownQuery(url, ["window"]);
  return { body: await getUptime({ ctx: caller.ctx, monitorId: params.id, window: url.searchParams.get("window") ?? "24h" }) };
});
