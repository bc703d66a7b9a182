import { z } from "zod";
import { enumParam, limitParam } from "@/server/api/query";
import { listOf } from "@/server/api/views";
import { createStatusIncident } from "@/server/services/status-incidents/create";
import { INCIDENT_FILTERS, listStatusIncidents } from "@/server/services/status-incidents/list";
import { statusIncidentViewSchema } from "@/server/services/status-incidents/view";
import { statusIncidentCreateSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}/incidents";
const params = { id: "The status page's id" };

export const GET = operation(
  {
    method: "GET",
    path,
    params,
    scope: "status-pages:read",
    summary: "List a status page's incidents",
    description: "Newest first, drafts included unless filtered.",
    query: z.object({ filter: enumParam(INCIDENT_FILTERS, "open: published and unresolved; resolved; draft: not published"), limit: limitParam(50, 200) }),
    response: { status: 200, schema: listOf(statusIncidentViewSchema, "StatusIncidentList"), description: "The incidents" },
    errors: ["not_found"],
  },
  async ({ caller, params, query }) => ({ body: { data: await listStatusIncidents({ ctx: caller.ctx, pageId: params.id, filter: query.filter, limit: query.limit }) } }),
);

export const POST = operation(
  {
    method: "POST",
    path,
    params,
    scope: "status-pages:write",
    summary: "Write an incident",
    description: "`body` is the first update (Markdown). Published at once (subscribers are told) unless `publish: false` keeps it a draft.",
    body: statusIncidentCreateSchema,
    response: { status: 201, schema: statusIncidentViewSchema, description: "The new incident" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => {
    const i = await createStatusIncident({ ctx: caller.ctx, pageId: params.id, input: body });
    return { status: 201, body: i, headers: { location: `/api/v1/status-pages/${params.id}/incidents/${i.id}` } };
  },
);
