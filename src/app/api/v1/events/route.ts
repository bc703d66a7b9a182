import { z } from "zod";
import { encodeCursor } from "@/server/api/cursor";
import { enumParam, pageQuery, timeParam, uuidParam } from "@/server/api/query";
import { pageOf } from "@/server/api/views";
import { listEvents } from "@/server/services/events/list";
import { eventViewSchema } from "@/server/services/events/view";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/events",
    scope: "events:read",
    summary: "List incidents (downtime events), newest first",
    query: z.object({
      monitorId: uuidParam("Only this monitor's"),
      state: enumParam(["open", "closed"], "Open or closed"),
      from: timeParam("Opened at or after"),
      to: timeParam("Opened before"),
      ...pageQuery(),
    }),
    response: { status: 200, schema: pageOf(eventViewSchema, "EventPage"), description: "A page of events" },
    errors: ["not_found"],
  },
  async ({ caller, query }) => {
    const page = await listEvents({ ctx: caller.ctx, monitorId: query.monitorId, state: query.state, from: query.from, to: query.to, limit: query.limit, after: query.cursor });
    return { body: { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null } };
  },
);
