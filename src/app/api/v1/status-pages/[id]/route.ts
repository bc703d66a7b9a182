import { deleteStatusPage } from "@/server/services/status-pages/delete";
import { getStatusPage } from "@/server/services/status-pages/get";
import { updateStatusPage } from "@/server/services/status-pages/update";
import { statusPageViewSchema } from "@/server/services/status-pages/view";
import { statusPageUpdateSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}";
const params = { id: "The status page's id" };

export const GET = operation(
  {
    method: "GET",
    path,
    params,
    scope: "status-pages:read",
    summary: "Get a status page",
    response: { status: 200, schema: statusPageViewSchema, description: "The page with its sections and components" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => ({ body: await getStatusPage({ ctx: caller.ctx, pageId: params.id }) }),
);

export const PATCH = operation(
  {
    method: "PATCH",
    path,
    params,
    scope: "status-pages:write",
    summary: "Change a status page (any subset of fields)",
    description: "`components`, when given, replaces the list. A new customDomain gets a new domainToken and must be verified again.",
    body: statusPageUpdateSchema,
    response: { status: 200, schema: statusPageViewSchema, description: "The page after the change" },
    errors: ["not_found", "conflict", "plan_limit_reached"],
  },
  async ({ caller, params, body }) => ({ body: await updateStatusPage({ ctx: caller.ctx, pageId: params.id, input: body }) }),
);

export const DELETE = operation(
  {
    method: "DELETE",
    path,
    params,
    scope: "status-pages:write",
    summary: "Delete a status page",
    description: "With its incidents, maintenances (and their engine windows) and subscribers.",
    response: { status: 204, description: "Deleted" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => {
    await deleteStatusPage({ ctx: caller.ctx, pageId: params.id });
    return { status: 204 };
  },
);
