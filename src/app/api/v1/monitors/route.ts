import { z } from "zod";
import { encodeCursor } from "@/server/api/cursor";
import { monitorViewSchema } from "@/server/monitors/schema";
import { pageQuery } from "@/server/api/query";
import { pageOf } from "@/server/api/views";
import { createMonitor } from "@/server/services/monitors/create";
import { listMonitorsPage } from "@/server/services/monitors/list-page";
import { monitorInputSchema } from "@/server/monitors/schema";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/monitors",
    scope: "monitors:read",
    summary: "List monitors",
    query: z.object(pageQuery()),
    response: { status: 200, schema: pageOf(monitorViewSchema, "MonitorPage"), description: "A page of monitors" },
  },
  async ({ caller, query }) => {
    const page = await listMonitorsPage({ ctx: caller.ctx, limit: query.limit, after: query.cursor });
    return { body: { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null } };
  },
);

export const POST = operation(
  {
    method: "POST",
    path: "/api/v1/monitors",
    scope: "monitors:write",
    summary: "Create a monitor",
    body: monitorInputSchema,
    response: { status: 201, schema: monitorViewSchema, description: "The new monitor" },
    errors: ["plan_limit_reached"],
  },
  async ({ caller, body }) => {
    const m = await createMonitor({ ctx: caller.ctx, input: body });
    return { status: 201, body: m, headers: { location: `/api/v1/monitors/${m.id}` } };
  },
);
