import { publishStatusIncident } from "@/server/services/status-incidents/publish";
import { statusIncidentViewSchema } from "@/server/services/status-incidents/view";
import { statusIncidentPublishSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const POST = operation(
  {
    method: "POST",
    path: "/api/v1/status-pages/{id}/incidents/{incidentId}/publish",
    params: { id: "The status page's id", incidentId: "The incident's id" },
    scope: "status-pages:write",
    summary: "Publish a draft incident",
    description: "Shows it on the page and tells subscribers. Idempotent: publishing a published incident answers it unchanged.",
    body: statusIncidentPublishSchema,
    response: { status: 200, schema: statusIncidentViewSchema, description: "The published incident" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => ({ body: await publishStatusIncident({ ctx: caller.ctx, pageId: params.id, incidentId: params.incidentId, input: body }) }),
);
