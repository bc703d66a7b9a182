import { decodeCursor, encodeCursor, parseLimit, parseTime } from "@/server/api/cursor";
import { listResults } from "@/server/services/monitors/results";
import { knownQuery } from "@/web/api-input";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

const isResultCursor = (v: Record<string, unknown>): v is { t: string; r: number } => typeof v.t === "string" && !Number.isNaN(Date.parse(v.t)) && Number.isInteger(v.r);

export const GET = apiRoute<{ id: string }>({ route: "/api/v1/monitors/{id}/results", scope: "monitors:read" }, async ({ caller, params, url }) => {
  knownQuery(url, ["from", "to", "limit", "cursor"]);
  const q = url.searchParams;
  const page = await listResults({
    ctx: caller.ctx,
    monitorId: params.id,
    from: parseTime(q.get("from"), "from"),
    to: parseTime(q.get("to"), "to"),
    limit: parseLimit(q.get("limit"), 100, 1000),
    after: decodeCursor(q.get("cursor"), isResultCursor),
  });
  return { body: { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null } };
});
