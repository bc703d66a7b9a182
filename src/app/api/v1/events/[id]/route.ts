import { getEvent } from "@/server/services/events/list";
import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>({ route: "/api/v1/events/{id}", scope: "events:read" }, async ({ caller, params }) => ({ body: await getEvent({ ctx: caller.ctx, eventId: params.id }) }));
