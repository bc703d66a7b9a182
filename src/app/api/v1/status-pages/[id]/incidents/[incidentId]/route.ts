import { deleteStatusIncident } from "@/server/services/status-incidents/delete";
import { getStatusIncident } from "@/server/services/status-incidents/get";
import { updateStatusIncident } from "@/server/services/status-incidents/update";
import { statusIncidentViewSchema } from "@/server/services/status-incidents/view";
import { statusIncidentUpdateSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}/incidents/{incidentId}";
const params = { id: "The status page's id", incidentId: "The incident's id" };

export const GET = operation(
  {
    method: "GET",
    path,
    params,
    scope: "status-pages:read",
    summary: "Get an incident",
    response: { status: 200, schema: statusIncidentViewSchema, description: "The incident with its components and updates" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => ({ body: await getStatusIncident({ ctx: caller.ctx, pageId: params.id, incidentId: params.incidentId }) }),
);

export const PATCH = operation(
  {
    method: "PATCH",
    path,
    params,
    scope: "status-pages:write",
    summary: "Change an incident's title, impact or components",
    description: "`components`, when given, replaces the list; each `status` is shown for its component while the incident is open. The timeline moves by posting updates.",
    body: statusIncidentUpdateSchema,
    response: { status: 200, schema: statusIncidentViewSchema, description: "The incident after the change" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => ({ body: await updateStatusIncident({ ctx: caller.ctx, pageId: params.id, incidentId: params.incidentId, input: body }) }),
);

export const DELETE = operation(
  { method: "DELETE", path, params, scope: "status-pages:write", summary: "Delete an incident", response: { status: 204, description: "Deleted" }, errors: ["not_found"] },
  async ({ caller, params }) => {
    await deleteStatusIncident({ ctx: caller.ctx, pageId: params.id, incidentId: params.incidentId });
    return { status: 204 };
  },
);
