import { z } from "zod";
import { countStatusSubscribers } from "@/server/services/status-subscribers/count";
import { removeStatusSubscriber } from "@/server/services/status-subscribers/remove";
import { subscriberCountSchema } from "@/server/services/status-subscribers/view";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}/subscribers";
const params = { id: "The status page's id" };

export const GET = operation(
  {
    method: "GET",
    path,
    params,
    scope: "status-pages:read",
    summary: "Count a status page's subscribers",
    description: "Counts by kind, confirmed and pending. Subscribers are personal data: the API never lists them.",
    response: { status: 200, schema: subscriberCountSchema, description: "The counts" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => ({ body: await countStatusSubscribers({ ctx: caller.ctx, pageId: params.id }) }),
);

export const DELETE = operation(
  {
    method: "DELETE",
    path,
    params,
    scope: "status-pages:write",
    summary: "Remove a subscriber by email address",
    query: z.object({ email: z.string().optional().meta({ type: "string", format: "email", description: "The subscriber's address" }) }),
    response: { status: 204, description: "Removed" },
    errors: ["not_found"],
  },
  async ({ caller, params, query }) => {
    await removeStatusSubscriber({ ctx: caller.ctx, pageId: params.id, email: query.email ?? "" });
    return { status: 204 };
  },
);
