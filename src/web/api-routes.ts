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
import * as statusPageComponents from "@/app/api/v1/status-pages/[id]/components/route";
import * as statusIncidentPublish from "@/app/api/v1/status-pages/[id]/incidents/[incidentId]/publish/route";
import * as statusIncidentById from "@/app/api/v1/status-pages/[id]/incidents/[incidentId]/route";
import * as statusIncidentUpdates from "@/app/api/v1/status-pages/[id]/incidents/[incidentId]/updates/route";
import * as statusIncidents from "@/app/api/v1/status-pages/[id]/incidents/route";
import * as statusMaintenanceById from "@/app/api/v1/status-pages/[id]/maintenances/[maintenanceId]/route";
import * as statusMaintenances from "@/app/api/v1/status-pages/[id]/maintenances/route";
import * as statusPageById from "@/app/api/v1/status-pages/[id]/route";
import * as statusSubscriberById from "@/app/api/v1/status-pages/[id]/subscribers/[subscriberId]/route";
import * as statusSubscribers from "@/app/api/v1/status-pages/[id]/subscribers/route";
import * as statusPages from "@/app/api/v1/status-pages/route";
import type { OperationDecl } from "@/server/api/operation";
import type { ApiOperation } from "./api-v1";

/**
 * The /api/v1 route modules — the same ones Next.js serves from src/app/api/v1. This list
 * is the only thing kept by hand: paths, methods, scopes and schemas come from each module's
 * declared operations, and a test fails if a route file is missing here.
 */
export const API_ROUTE_MODULES: Record<string, unknown>[] = [
  monitors,
  monitorById,
  monitorPause,
  monitorResume,
  monitorResults,
  monitorUptime,
  events,
  eventById,
  channels,
  channelById,
  statusPages,
  statusPageById,
  statusPageComponents,
  statusIncidents,
  statusIncidentById,
  statusIncidentUpdates,
  statusIncidentPublish,
  statusMaintenances,
  statusMaintenanceById,
  statusSubscribers,
  statusSubscriberById,
  accountExport,
  openapi,
];

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type ApiRouteEntry = { pattern: string; re: RegExp; module: Record<string, unknown>; handlers: Partial<Record<string, Handler>> };

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;
const isOperation = (v: unknown): v is ApiOperation => typeof v === "function" && "operation" in v;

/** A module's path, from its operations (or, for the public document, its publicJsonRoute). */
const pathOf = (module: Record<string, unknown>): string => {
  const declared = METHODS.map((m) => module[m] as { operation?: OperationDecl; publicPath?: string } | undefined).find((h) => h?.operation ?? h?.publicPath);
  const path = declared?.operation?.path ?? declared?.publicPath;
  if (!path) throw new Error("An /api/v1 route module declares no operation");
  return path;
};

let routes: ApiRouteEntry[] | undefined;
let operations: OperationDecl[] | undefined;

/** Every route, by path pattern (computed on first use: the document route imports this module back). */
export function apiRoutes(): ApiRouteEntry[] {
  return (routes ??= API_ROUTE_MODULES.map((module) => {
    const pattern = pathOf(module);
    const handlers = Object.fromEntries(METHODS.filter((m) => typeof module[m] === "function").map((m) => [m, module[m] as Handler]));
    for (const [method, h] of Object.entries(handlers)) {
      if (isOperation(h) && (h.operation.path !== pattern || h.operation.method !== method)) throw new Error(`${method} ${pattern} is declared as ${h.operation.method} ${h.operation.path}`);
    }
    const re = new RegExp(`^${pattern.replace(/\./g, "\\.").replace(/\{\w+\}/g, "([^/]+)")}/?$`);
    return { pattern, re, module, handlers };
  }));
}

/** Every declared operation: what the OpenAPI document, the dispatcher and the tests read. */
export function apiOperations(): OperationDecl[] {
  return (operations ??= apiRoutes().flatMap((r) =>
    Object.values(r.handlers)
      .filter(isOperation)
      .map((h) => h.operation),
  ));
}

export function matchApiRoute(pathname: string, method: string): { handler: Handler | null; params: Record<string, string>; allowed: string[] } | null {
  for (const r of apiRoutes()) {
    const m = r.re.exec(pathname);
    if (!m) continue;
    const names = [...r.pattern.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!);
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      const raw = m[i + 1]!;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return { handler: r.handlers[method] ?? null, params, allowed: Object.keys(r.handlers) };
  }
  return null;
}
