import { z } from "zod";
import { encodeCursor } from "@/server/api/cursor";
import { pageQuery } from "@/server/api/query";
import { channelView, pageOf } from "@/server/api/views";
import { createChannel } from "@/server/services/channels/create";
import { listChannels } from "@/server/services/channels/list";
import { channelInputSchema } from "@/server/notifications/channel-schema";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/channels",
    scope: "channels:read",
    summary: "List notification channels (secrets masked)",
    query: z.object(pageQuery()),
    response: { status: 200, schema: pageOf(channelView, "ChannelPage"), description: "A page of channels" },
  },
  async ({ caller, query }) => {
    const { limit, cursor } = query;
    const rows = await listChannels({ ctx: caller.ctx, limit: limit + 1, after: cursor && { createdAt: new Date(cursor.t), id: cursor.id } });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { body: { data: page, nextCursor: rows.length > limit && last ? encodeCursor({ t: last.createdAt, id: last.id }) : null } };
  },
);

/** A webhook channel's answer carries its signing secret: the only time it is shown. */
export const POST = operation(
  {
    method: "POST",
    path: "/api/v1/channels",
    scope: "channels:write",
    summary: "Create a channel (a webhook's signingSecret is in this answer only)",
    body: channelInputSchema,
    response: { status: 201, schema: channelView, description: "The new channel" },
  },
  async ({ caller, body }) => {
    const c = await createChannel({ ctx: caller.ctx, input: body });
    return { status: 201, body: c, headers: { location: `/api/v1/channels/${c.id}` } };
  },
);
