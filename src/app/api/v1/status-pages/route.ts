import { listOf } from "@/server/api/views";
import { createStatusPage } from "@/server/services/status-pages/create";
import { listStatusPages } from "@/server/services/status-pages/list";
import { statusPageViewSchema } from "@/server/services/status-pages/view";
import { statusPageCreateSchema } from "@/server/validation/status-pages";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/status-pages",
    scope: "status-pages:read",
    summary: "List status pages",
    description: "Every status page of the organization, by name, with its sections and components.",
    response: { status: 200, schema: listOf(statusPageViewSchema, "StatusPageList"), description: "The organization's status pages" },
  },
  async ({ caller }) => ({ body: { data: await listStatusPages({ ctx: caller.ctx }) } }),
);

export const POST = operation(
  {
    method: "POST",
    path: "/api/v1/status-pages",
    scope: "status-pages:write",
    summary: "Create a status page",
    description: "Components are the organization's monitors under a public name, in the order given; components with the same sectionName are grouped.",
    body: statusPageCreateSchema,
    response: { status: 201, schema: statusPageViewSchema, description: "The new page" },
    errors: ["not_found", "conflict", "plan_limit_reached"],
  },
  async ({ caller, body }) => {
    const p = await createStatusPage({ ctx: caller.ctx, input: body });
    return { status: 201, body: p, headers: { location: `/api/v1/status-pages/${p.id}` } };
  },
);
