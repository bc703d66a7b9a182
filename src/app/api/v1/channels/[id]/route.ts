import { deleteChannel } from "@/server/services/channels/delete";
import { getChannel } from "@/server/services/channels/list";
import { updateChannel } from "@/server/services/channels/update";
import { objectBody } from "@/web/api-input";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const route = "/api/v1/channels/{id}";

export const GET = apiRoute<{ id: string }>({ route, scope: "channels:read" }, async ({ caller, params }) => ({ body: await getChannel({ ctx: caller.ctx, channelId: params.id }) }));

export const PATCH = apiRoute<{ id: string }>({ route, scope: "channels:write" }, async ({ caller, params, body }) => ({
  body: await updateChannel({ ctx: caller.ctx, channelId: params.id, patch: objectBody(body) }),
}));

export const DELETE = apiRoute<{ id: string }>({ route, scope: "channels:write" }, async ({ caller, params }) => {
  // Monitors left without a channel fall back to the default channels (docs/api.md); still 204.
  await deleteChannel({ ctx: caller.ctx, channelId: params.id });
  return { status: 204 };
});
