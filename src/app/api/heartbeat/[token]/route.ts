import { NextResponse } from "next/server";
import { recordPing } from "@/server/monitors/heartbeat";
import { log } from "@/server/log";

export const dynamic = "force-dynamic";

/** The secret URL a customer's cron job calls (GET or POST). Token-authenticated, so no Origin check. */
async function ping(_req: Request, ctx: RouteContext<"/api/heartbeat/[token]">) {
  const { token } = await ctx.params;
  try {
    const r = await recordPing(token);
    if (!r.ok) {
      return NextResponse.json(
        { ok: false, error: r.reason === "paused" ? "This heartbeat monitor is paused; the ping was ignored." : "Unknown heartbeat URL." },
        { status: r.reason === "paused" ? 409 : 404 },
      );
    }
    return NextResponse.json({ ok: true, monitor: r.monitor, state: r.state });
  } catch (e) {
    const requestId = crypto.randomUUID();
    log.error("heartbeat failed", { requestId, err: e });
    return NextResponse.json({ ok: false, error: `Internal error. Reference: ${requestId}` }, { status: 500 });
  }
}

export const GET = ping;
export const POST = ping;
