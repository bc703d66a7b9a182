import * as accountExport from "@/app/api/v1/account/export/route";
import * as channelById from "@/app/api/v1/channels/[id]/route";
import * as channels from "@/app/api/v1/channels/route";
import * as eventById from "@/app/api/v1/events/[id]/route";
import * as events from "@/app/api/v1/events/route";
import * as monitorPause from "@/app/api/v1/monitors/[id]/pause/route";
import * as monitorResults from "@/app/api/v1/monitors/[id]/results/route";
import * as monitorResume from "@/app/api/v1/monitors/[id]/resume/route";
import * as monitorById from "@/app/api/v1/monitors/[id]/route";
import * as monitorUptime from "@/app/api/v1/monitors/[id]/uptime/route";
import * as monitors from "@/app/api/v1/monitors/route";
import * as openapi from "@/app/api/v1/openapi.json/route";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
export type ApiRouteEntry = { pattern: string; re: RegExp; module: Record<string, unknown> };

const table: [string, Record<string, unknown>][] = [
  ["/api/v1/openapi.json", openapi],
  ["/api/v1/monitors", monitors],
  ["/api/v1/monitors/{id}", monitorById],
  ["/api/v1/monitors/{id}/pause", monitorPause],
  ["/api/v1/monitors/{id}/resume", monitorResume],
  ["/api/v1/monitors/{id}/results", monitorResults],
  ["/api/v1/monitors/{id}/uptime", monitorUptime],
  ["/api/v1/events", events],
  ["/api/v1/events/{id}", eventById],
  ["/api/v1/channels", channels],
  ["/api/v1/channels/{id}", channelById],
  ["/api/v1/account/export", accountExport],
];

/** Every /api/v1 route file, by pattern: the same modules Next.js serves from src/app/api/v1. */
export const API_ROUTES: ApiRouteEntry[] = table.map(([pattern, module]) => ({ pattern, re: new RegExp(`^${pattern.replace(/\./g, "\\.").replace("{id}", "([^/]+)")}/?$`), module }));

export function matchApiRoute(pathname: string, method: string): { handler: Handler | null; params: Record<string, string>; allowed: string[] } | null {
  for (const r of API_ROUTES) {
    const m = r.re.exec(pathname);
    if (!m) continue;
    let id: string | undefined;
    try {
      id = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    } catch {
      id = m[1];
    }
    const allowed = ["GET", "POST", "PATCH", "PUT", "DELETE"].filter((x) => typeof r.module[x] === "function");
    return { handler: (r.module[method] as Handler | undefined) ?? null, params: id === undefined ? {} : { id }, allowed };
  }
  return null;
}
