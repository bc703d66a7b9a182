import { getEvent } from "@/server/services/events/get";
import { eventViewSchema } from "@/server/services/events/view";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/events/{id}",
    params: { id: "The incident's id" },
    scope: "events:read",
    summary: "Get an incident",
    response: { status: 200, schema: eventViewSchema, description: "The event" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => ({ body: await getEvent({ ctx: caller.ctx, eventId: params.id }) }),
);
