import { decodeCursor, encodeCursor, isTimeIdCursor, parseLimit } from "@/server/api/cursor";
import { createMonitor } from "@/server/services/monitors/create";
import { listMonitorsPage } from "@/server/services/monitors/list-page";
import { knownQuery, objectBody } from "@/web/api-input";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/v1/monitors", scope: "monitors:read" }, async ({ caller, url }) => {
  knownQuery(url, ["limit", "cursor"]);
  const page = await listMonitorsPage({ ctx: caller.ctx, limit: parseLimit(url.searchParams.get("limit")), after: decodeCursor(url.searchParams.get("cursor"), isTimeIdCursor) });
  return { body: { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null } };
});

export const POST = apiRoute({ route: "/api/v1/monitors", scope: "monitors:write" }, async ({ caller, body }) => {
  const m = await createMonitor({ ctx: caller.ctx, input: objectBody(body) });
  return { status: 201, body: m, headers: { location: `/api/v1/monitors/${m.id}` } };
});
