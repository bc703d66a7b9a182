import { NextResponse } from "next/server";
import { authenticateProbe } from "@/server/services/probes/authenticate";
import { getProbeConfig } from "@/server/services/probes/get-probe-config";
import { errorResponse } from "@/web/api-errors";
import { metaFromHeaders } from "@/web/request";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: RouteContext<"/api/probe/monitors/[id]">) {
  const { requestId } = metaFromHeaders(req.headers) as { requestId: string };
  try {
    const probe = await authenticateProbe({
      headers: { authorization: req.headers.get("authorization"), timestamp: req.headers.get("x-perigee-timestamp"), signature: req.headers.get("x-perigee-signature") },
      rawBody: "",
    });
    const { id } = await ctx.params;
    return NextResponse.json(await getProbeConfig({ probe, monitorId: id }), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, requestId, { route: "/api/probe/monitors/[id]" });
  }
}
