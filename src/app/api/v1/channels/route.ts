import { decodeCursor, encodeCursor, isTimeIdCursor, parseLimit } from "@/server/api/cursor";
import { createChannel } from "@/server/services/channels/create";
import { listChannels } from "@/server/services/channels/list";
import { knownQuery, objectBody } from "@/web/api-input";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/v1/channels", scope: "channels:read" }, async ({ caller, url }) => {
  knownQuery(url, ["limit", "cursor"]);
  const limit = parseLimit(url.searchParams.get("limit"));
  const after = decodeCursor(url.searchParams.get("cursor"), isTimeIdCursor);
  const rows = await listChannels({ ctx: caller.ctx, limit: limit + 1, after: after && { createdAt: new Date(after.t), id: after.id } });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { body: { data: page, nextCursor: rows.length > limit && last ? encodeCursor({ t: last.createdAt, id: last.id }) : null } };
});

/** A webhook channel's answer carries its signing secret: the only time it is shown. */
export const POST = apiRoute({ route: "/api/v1/channels", scope: "channels:write" }, async ({ caller, body }) => {
  const c = await createChannel({ ctx: caller.ctx, input: objectBody(body) });
  return { status: 201, body: c, headers: { location: `/api/v1/channels/${c.id}` } };
});
