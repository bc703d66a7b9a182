import { decodeCursor, encodeCursor, isTimeIdCursor, parseLimit, parseTime } from "@/server/api/cursor";
import { listEvents } from "@/server/services/events/list";
import { knownQuery } from "@/web/api-input";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/v1/events", scope: "events:read" }, async ({ caller, url }) => {
  knownQuery(url, ["monitorId", "state", "from", "to", "limit", "cursor"]);
  const q = url.searchParams;
  const page = await listEvents({
    ctx: caller.ctx,
    monitorId: q.get("monitorId") ?? undefined,
    state: q.get("state") ?? undefined,
    from: parseTime(q.get("from"), "from"),
    to: parseTime(q.get("to"), "to"),
    limit: parseLimit(q.get("limit")),
    after: decodeCursor(q.get("cursor"), isTimeIdCursor),
  });
  return { body: { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null } };
});
