import { removeStatusSubscriber } from "@/server/services/status-subscribers/remove";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const DELETE = operation(
  {
    method: "DELETE",
    path: "/api/v1/status-pages/{id}/subscribers/{subscriberId}",
    params: { id: "The status page's id", subscriberId: "The subscriber's id" },
    scope: "status-pages:write",
    summary: "Remove a subscriber",
    response: { status: 204, description: "Removed" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => {
    await removeStatusSubscriber({ ctx: caller.ctx, pageId: params.id, subscriberId: params.subscriberId });
    return { status: 204 };
  },
);
