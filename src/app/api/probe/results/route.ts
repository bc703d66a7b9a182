import { NextResponse } from "next/server";
import { authenticateProbe } from "@/server/services/probes/authenticate";
import { ingestProbeResults } from "@/server/services/probes/ingest-results";
import { RequestRefused } from "@/server/errors";
import { errorResponse } from "@/web/api-errors";
import { metaFromHeaders } from "@/web/request";

export const dynamic = "force-dynamic";

/** Signed results from a remote probe. Token-authenticated (no cookies, so no Origin check). */
export async function POST(req: Request) {
  const { requestId } = metaFromHeaders(req.headers) as { requestId: string };
  const raw = await req.text();
  try {
    const probe = await authenticateProbe({
      headers: { authorization: req.headers.get("authorization"), timestamp: req.headers.get("x-perigee-timestamp"), signature: req.headers.get("x-perigee-signature") },
      rawBody: raw,
    });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new RequestRefused("invalid_json", "The request body is not valid JSON.");
    }
    const r = await ingestProbeResults({ probe, input: body });
    return NextResponse.json(r, { status: 202 });
  } catch (e) {
    return errorResponse(e, requestId, { route: "/api/probe/results" });
  }
}
