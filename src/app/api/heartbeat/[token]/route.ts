import { NextResponse } from "next/server";
import { receivePing } from "@/server/services/heartbeats/receive-ping";
import { errorResponse } from "@/web/api-errors";
import { metaFromHeaders } from "@/web/request-meta";

export const dynamic = "force-dynamic";

/** The secret URL a customer's cron job calls (GET or POST). Token-authenticated, so no Origin check. */
async function ping(req: Request, ctx: RouteContext<"/api/heartbeat/[token]">) {
  const meta = metaFromHeaders(req.headers);
  try {
    const { token } = await ctx.params;
    const r = await receivePing({ token, meta });
    return NextResponse.json({ ok: true, monitor: r.monitor, state: r.state }, { headers: { "x-request-id": meta.requestId } });
  } catch (e) {
    return errorResponse(e, meta.requestId, { route: "/api/heartbeat/[token]" });
  }
}

export const GET = ping;
export const POST = ping;
