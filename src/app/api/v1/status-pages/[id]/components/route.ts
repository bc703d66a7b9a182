import { listOf } from "@/server/api/views";
import { listStatusComponents } from "@/server/services/status-pages/list-components";
import { replaceStatusComponents } from "@/server/services/status-pages/replace-components";
import { statusComponentViewSchema } from "@/server/services/status-pages/view";
import { statusComponentsSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";
const path = "/api/v1/status-pages/{id}/components";
const params = { id: "The status page's id" };
const list = listOf(statusComponentViewSchema, "StatusPageComponentList");

export const GET = operation(
  {
    method: "GET",
    path,
    params,
    scope: "status-pages:read",
    summary: "List a status page's components",
    response: { status: 200, schema: list, description: "The components, in order" },
    errors: ["not_found"],
  },
  async ({ caller, params }) => ({ body: { data: await listStatusComponents({ ctx: caller.ctx, pageId: params.id }) } }),
);

export const PUT = operation(
  {
    method: "PUT",
    path,
    params,
    scope: "status-pages:write",
    summary: "Replace a status page's components",
    description: "The list in display order. A component keeps its id while its monitor stays on the page; sections follow sectionName, ordered by first appearance.",
    body: statusComponentsSchema,
    response: { status: 200, schema: list, description: "The components after the change" },
    errors: ["not_found"],
  },
  async ({ caller, params, body }) => ({ body: { data: await replaceStatusComponents({ ctx: caller.ctx, pageId: params.id, input: body }) } }),
);
