import { listOf } from "@/server/api/views";
import { getStatusIncident } from "@/server/services/status-incidents/get";
import { postStatusIncidentUpdate } from "@/server/services/status-incidents/post-update";
import { statusIncidentUpdateViewSchema, statusIncidentViewSchema } from "@/server/services/status-incidents/view";
import { statusIncidentPostSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}/incidents/{incidentId}/updates";
const params = { id: "The status page's id", incidentId: "The incident's id" };

export const GET = operation(
  {
    method: "GET",
    path,
    params,
    scope: "status-pages:read",
    summary: "List an incident's updates",
    response: { status: 200, schema: listOf(statusIncidentUpdateViewSchema, "StatusIncidentUpdateList"), description: "The timeline, newest first" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => ({ body: { data: (await getStatusIncident({ ctx: caller.ctx, pageId: params.id, incidentId: params.incidentId })).updates } }),
);

export const POST = operation(
  {
    method: "POST",
    path,
    params,
    scope: "status-pages:write",
    summary: "Post an incident update",
    description: "Moves the incident to `status` (resolved closes it; another status reopens it). Subscribers of a published incident are told.",
    body: statusIncidentPostSchema,
    response: { status: 201, schema: statusIncidentViewSchema, description: "The incident with the new update" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => ({ status: 201, body: await postStatusIncidentUpdate({ ctx: caller.ctx, pageId: params.id, incidentId: params.incidentId, input: body }) }),
);
