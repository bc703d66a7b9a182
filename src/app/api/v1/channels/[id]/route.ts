import { channelView } from "@/server/api/views";
import { deleteChannel } from "@/server/services/channels/delete";
import { getChannel } from "@/server/services/channels/get";
import { updateChannel } from "@/server/services/channels/update";
import { channelInputSchema } from "@/server/notifications/channel-schema";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/channels/{id}";
const params = { id: "The channel's id" };

export const GET = operation(
  { method: "GET", path, params, scope: "channels:read", summary: "Get a channel", response: { status: 200, schema: channelView, description: "The channel" }, errors: ["not_found"] },
  async ({ caller, params }) => ({ body: await getChannel({ ctx: caller.ctx, channelId: params.id }) }),
);

export const PATCH = operation(
  {
    method: "PATCH",
    path,
    params,
    scope: "channels:write",
    summary: "Change a channel (masked or empty secrets keep the stored value)",
    body: channelInputSchema,
    response: { status: 200, schema: channelView, description: "The channel after the change" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => ({ body: await updateChannel({ ctx: caller.ctx, channelId: params.id, patch: body }) }),
);

export const DELETE = operation(
  {
    method: "DELETE",
    path,
    params,
    scope: "channels:write",
    summary: "Delete a channel",
    description: "Monitors left without a channel fall back to the organization's default channels.",
    response: { status: 204, description: "Deleted" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => {
    await deleteChannel({ ctx: caller.ctx, channelId: params.id });
    return { status: 204 };
  },
);
