import { z } from "zod";
import { encodeCursor } from "@/server/api/cursor";
import { cursorParam, limitParam, timeParam } from "@/server/api/query";
import { pageOf, resultSchema } from "@/server/api/views";
import { listResults } from "@/server/services/monitors/results";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

const isResultCursor = (v: Record<string, unknown>): v is { t: string; r: number } => typeof v.t === "string" && !Number.isNaN(Date.parse(v.t)) && Number.isInteger(v.r);

export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/monitors/{id}/results",
    params: { id: "The monitor's id" },
    scope: "monitors:read",
    summary: "Raw check results, newest first",
    query: z.object({ from: timeParam("Inclusive lower bound"), to: timeParam("Exclusive upper bound"), limit: limitParam(100, 1000), cursor: cursorParam(isResultCursor) }),
    response: { status: 200, schema: pageOf(resultSchema, "CheckResultPage"), description: "A page of results" },
    errors: ["not_found"],
  },
  async ({ caller, params, query }) => {
    const page = await listResults({ ctx: caller.ctx, monitorId: params.id, from: query.from, to: query.to, limit: query.limit, after: query.cursor });
    return { body: { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null } };
  },
);
