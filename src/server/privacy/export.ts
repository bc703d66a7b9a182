import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import { effectivePlan } from "../billing/effective";
import { db, pool } from "../db/client";
import {
  apiKeys,
  billingInvoices,
  invitations,
  maintenanceWindows,
  memberships,
  monitors,
  notificationChannels,
  organizations,
  recoveryCodes,
  sessions,
  smsUsage,
  statusIncidentComponents,
  statusIncidents,
  statusIncidentUpdates,
  statusMaintenances,
  statusPageComponents,
  statusPages,
  statusPageSections,
  statusSubscribers,
  users,
  type Organization,
  type Role,
  type User,
} from "../db/schema";
import { env } from "../env";
import { decodeResultCode } from "../monitors/result-codes";
import { regionNames } from "../monitors/regions";
import { toChannelView } from "../notifications/channel-config";
import { toApiKeyView } from "../services/api-keys/view";
import { toMonitorViews } from "../services/monitors/view";
import { toStatusIncidentView } from "../services/status-incidents/view";
import { toStatusMaintenanceView } from "../services/status-maintenances/view";
import { toStatusPageView } from "../services/status-pages/view";
import { jsonArray, jsonArrayOf, jsonObject, keysetPages, lazy, streamed, type Chunks } from "./json-stream";

/** Bumped on any change a reader of the document must know about (docs/export.md). */
export const EXPORT_SCHEMA_VERSION = 1;

/** Rows read per query for the large sections: bounded memory whatever the organization's size. */
export const EXPORT_BATCH_ROWS = 10_000;

export const RESULT_COLUMNS = ["at", "region", "outcome", "errorClass", "statusCode", "totalMs", "dnsMs", "connectMs", "tlsMs", "ttfbMs"] as const;
export const ROLLUP_COLUMNS = ["bucket", "checks", "successes", "degraded", "latencySumMs", "latencyHist"] as const;

export type ExportMembership = { organization: Organization; role: Role; joinedAt: Date };

export type ExportPlan = {
  user: User;
  /** Every organization shown under `memberships`. */
  memberships: ExportMembership[];
  /** Organizations exported in full (the caller is ADMIN of each). */
  full: Organization[];
  via: "dashboard" | "api";
  now?: Date;
};

const DAY_MS = 24 * 60 * 60 * 1000;
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
/** A timestamptz column as the document's time format (UTC, milliseconds, "Z"). */
const isoSql = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The export as JSON text, written in order and read as it goes: the small sections are
 * read whole, the large ones (events, logs, results, rollups) in keyset pages of
 * EXPORT_BATCH_ROWS rows. Every query is scoped to one organization (or the user), and every
 * row is written from an explicit list of columns, so a column added later (a hash, a sealed
 * secret) is not exported by accident.
 */
export function exportDocument(p: ExportPlan): Chunks {
  const now = p.now ?? new Date();
  const e = env();
  const personal = p.via === "dashboard";
  return jsonObject([
    ["schemaVersion", EXPORT_SCHEMA_VERSION],
    ["generatedAt", now.toISOString()],
    ["app", { name: "Perigee", url: e.APP_URL }],
    ["dataRegion", e.DATA_REGION],
    ["scope", { via: p.via, organizations: p.full.map((o) => o.id) }],
    ["user", lazy(() => profileOf(p.user))],
    ["sessions", personal ? lazy(() => sessionsOf(p.user.id)) : null],
    ["securityEvents", personal ? streamed(() => securityEventsOf(p.user.id)) : null],
    [
      "memberships",
      p.memberships.map((m) => ({
        organizationId: m.organization.id,
        slug: m.organization.slug,
        name: m.organization.name,
        role: m.role,
        joinedAt: m.joinedAt.toISOString(),
        exported: p.full.some((o) => o.id === m.organization.id),
      })),
    ],
    ["organizations", streamed(() => jsonArrayOf(p.full, (o) => organizationOf(o, now)))],
  ]);
}

async function profileOf(u: User) {
  const [codes] = await db()
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, u.id), isNull(recoveryCodes.usedAt)));
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    emailVerifiedAt: iso(u.emailVerifiedAt),
    siteAdmin: u.isAdmin,
    twoFactor: { enabled: u.totpEnabledAt !== null, enabledAt: iso(u.totpEnabledAt), recoveryCodesLeft: codes?.n ?? 0 },
    passwordChangedAt: u.passwordChangedAt.toISOString(),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

async function sessionsOf(userId: string) {
  const rows = await db().select().from(sessions).where(eq(sessions.userId, userId)).orderBy(asc(sessions.createdAt));
  return rows.map((s) => ({ createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), expiresAt: s.expiresAt.toISOString(), ip: s.ip, userAgent: s.userAgent }));
}

const AUDIT_JSON = `json_build_object('id', id, 'at', ${isoSql("created_at")}, 'actorUserId', actor_user_id, 'action', action, 'targetType', target_type, 'targetId', target_id, 'metadata', metadata, 'ip', ip, 'userAgent', user_agent)::text`;

/** The user's own events that belong to no organization (sign-ins, 2FA, password changes). */
function securityEventsOf(userId: string): Chunks {
  return jsonRows(`select id as k, ${AUDIT_JSON} as j from audit_log where organization_id is null and actor_user_id = $1 and ($2::int8 is null or id > $2) order by id limit $3`, [userId]);
}

/**
 * Rows already encoded by Postgres (`j`), in keyset pages on `k`; the query takes the scope
 * parameters first, then the last key (null on the first page) and the page size.
 */
function jsonRows(text: string, scope: unknown[]): Chunks {
  const pages = keysetPages<{ k: string; j: string }>(EXPORT_BATCH_ROWS, async (after, size) => (await pool().query({ text, values: [...scope, after?.k ?? null, size] })).rows);
  return jsonArray(pages, (r) => r.j);
}

function organizationOf(o: Organization, now: Date): Chunks {
  const plan = effectivePlan(o, now);
  const since = new Date(now.getTime() - plan.limits.retentionDays * DAY_MS);
  // Monitors are read once here (a few hundred at most) and reused by the per-monitor sections.
  let monitorRows: Promise<{ id: string; seq: number }[]> | null = null;
  const monitorKeys = () => (monitorRows ??= db().select({ id: monitors.id, seq: monitors.seq }).from(monitors).where(eq(monitors.organizationId, o.id)).orderBy(asc(monitors.seq)));
  return jsonObject([
    ["id", o.id],
    ["slug", o.slug],
    ["name", o.name],
    ["createdAt", o.createdAt.toISOString()],
    ["plan", { id: plan.plan, source: plan.source, limits: plan.limits }],
    ["billing", lazy(() => billingOf(o))],
    ["members", lazy(() => membersOf(o.id))],
    ["invitations", lazy(() => invitationsOf(o.id))],
    ["apiKeys", lazy(() => apiKeysOf(o.id))],
    [
      "channels",
      lazy(async () => (await db().select().from(notificationChannels).where(eq(notificationChannels.organizationId, o.id)).orderBy(asc(notificationChannels.createdAt))).map(toChannelView)),
    ],
    ["monitors", lazy(() => monitorsOf(o.id))],
    ["maintenanceWindows", lazy(() => maintenanceWindowsOf(o.id))],
    ["statusPages", lazy(() => statusPagesOf(o.id, now))],
    [
      "incidents",
      streamed(() =>
        jsonRows(
          `select id::text as k, json_build_object('id', id, 'monitorId', monitor_id, 'openedAt', ${isoSql("opened_at")}, 'closedAt', ${isoSql("closed_at")}, 'durationSeconds', duration_seconds,
            'causeErrorClass', cause_error_class, 'causeMessage', cause_message, 'causeStatusCode', cause_status_code, 'regionsDown', regions_down, 'duringMaintenance', during_maintenance,
            'remindersSent', reminders_sent, 'acknowledgedAt', ${isoSql("acknowledged_at")}, 'acknowledgedById', acknowledged_by_id)::text as j
          from incidents where organization_id = $1 and ($2::uuid is null or id > $2) order by id limit $3`,
          [o.id],
        ),
      ),
    ],
    [
      "incidentNotes",
      streamed(() =>
        jsonRows(
          `select id::text as k, json_build_object('id', id, 'incidentId', incident_id, 'authorId', author_id, 'body', body, 'createdAt', ${isoSql("created_at")})::text as j
          from incident_notes where organization_id = $1 and ($2::uuid is null or id > $2) order by id limit $3`,
          [o.id],
        ),
      ),
    ],
    [
      "monitorEvents",
      streamed(() =>
        jsonRows(
          `select id as k, json_build_object('id', id, 'monitorId', monitor_id, 'incidentId', incident_id, 'kind', kind, 'fromState', from_state, 'toState', to_state, 'payload', payload,
            'suppressed', suppressed, 'createdAt', ${isoSql("created_at")})::text as j
          from monitor_events where organization_id = $1 and ($2::int8 is null or id > $2) order by id limit $3`,
          [o.id],
        ),
      ),
    ],
    [
      "notificationLog",
      streamed(() =>
        jsonRows(
          `select id as k, json_build_object('id', id, 'channelId', channel_id, 'channelName', channel_name, 'channelType', channel_type, 'monitorId', monitor_id, 'eventKind', event_kind,
            'attempt', attempt, 'status', status, 'httpStatus', http_status, 'error', error, 'response', response, 'latencyMs', latency_ms, 'createdAt', ${isoSql("created_at")})::text as j
          from notification_log where organization_id = $1 and ($2::int8 is null or id > $2) order by id limit $3`,
          [o.id],
        ),
      ),
    ],
    ["auditLog", streamed(() => jsonRows(`select id as k, ${AUDIT_JSON} as j from audit_log where organization_id = $1 and ($2::int8 is null or id > $2) order by id limit $3`, [o.id]))],
    [
      "apiAccessLog",
      streamed(() =>
        jsonRows(
          `select id as k, json_build_object('id', id, 'apiKeyId', api_key_id, 'method', method, 'route', route, 'status', status, 'latencyMs', latency_ms, 'ip', ip, 'requestId', request_id,
            'at', ${isoSql("created_at")})::text as j
          from api_access_log where organization_id = $1 and ($2::int8 is null or id > $2) order by id limit $3`,
          [o.id],
        ),
      ),
    ],
    [
      "checkFailures",
      streamed(() =>
        jsonRows(
          `select f.id as k, json_build_object('id', f.id, 'monitorId', f.monitor_id, 'region', f.region, 'scheduledAt', ${isoSql("f.scheduled_at")}, 'errorClass', f.error_class,
            'message', f.message, 'statusCode', f.status_code)::text as j
          from check_failures f join monitors m on m.id = f.monitor_id where m.organization_id = $1 and ($2::int8 is null or f.id > $2) order by f.id limit $3`,
          [o.id],
        ),
      ),
    ],
    [
      "checkResults",
      streamed(() =>
        jsonObject([
          ["retentionDays", plan.limits.retentionDays],
          ["since", since.toISOString()],
          ["columns", RESULT_COLUMNS],
          ["monitors", streamed(() => perMonitor(monitorKeys, (m) => resultsOf(m.seq, since)))],
        ]),
      ),
    ],
    [
      "rollups",
      streamed(() =>
        jsonObject([
          ["columns", ROLLUP_COLUMNS],
          ["hourly", streamed(() => perMonitor(monitorKeys, (m) => rollupsOf("check_rollups_hourly", m.seq, since)))],
          ["daily", streamed(() => perMonitor(monitorKeys, (m) => rollupsOf("check_rollups_daily", m.seq, since)))],
        ]),
      ),
    ],
  ]);
}

async function* perMonitor(keys: () => Promise<{ id: string; seq: number }[]>, rows: (m: { id: string; seq: number }) => Chunks): Chunks {
  yield* jsonArrayOf(await keys(), (m) =>
    jsonObject([
      ["monitorId", m.id],
      ["rows", streamed(() => rows(m))],
    ]),
  );
}

/**
 * One monitor's raw checks since `since`, oldest first, in keyset pages on (scheduled_at,
 * region_id) — the order of the unique index, so each page is an index range scan of the
 * partitions that hold it. The time travels as integer microseconds (exact), rows as arrays.
 */
async function* resultsOf(seq: number, since: Date): Chunks {
  const names = await regionNames();
  const region = new Map([...names].map(([id, name]) => [id, JSON.stringify(name)]));
  const codes = new Map<number, string>();
  const codeText = (c: number) => {
    let t = codes.get(c);
    if (t === undefined) {
      const d = decodeResultCode(c);
      codes.set(c, (t = `"${d.outcome}",${d.errorClass ? JSON.stringify(d.errorClass) : "null"}`));
    }
    return t;
  };
  const opt = (n: number) => (n < 0 ? "null" : String(n));
  type Row = [string, number, number, number, number, number, number, number, number];
  const pages = keysetPages<Row>(EXPORT_BATCH_ROWS, async (after, size) => {
    const r = await pool().query<Row>({
      text: `select (extract(epoch from scheduled_at) * 1000000)::int8, region_id, result, status_code, total_ms, dns_ms, connect_ms, tls_ms, ttfb_ms
        from check_results where monitor_seq = $1 and scheduled_at >= $2
          and ($3::int8 is null or (scheduled_at, region_id) > ('epoch'::timestamptz + $3::int8 * interval '1 microsecond', $4::smallint))
        order by scheduled_at, region_id limit $5`,
      values: [seq, since, after?.[0] ?? null, after?.[1] ?? null, size],
      rowMode: "array",
    });
    return r.rows;
  });
  yield* jsonArray(
    pages,
    ([us, rg, code, status, total, dns, connect, tls, ttfb]) =>
      `["${new Date(Number(us) / 1000).toISOString()}",${region.get(rg) ?? `"${rg}"`},${codeText(code)},${status || "null"},${total},${opt(dns)},${opt(connect)},${opt(tls)},${opt(ttfb)}]`,
  );
}

function rollupsOf(table: "check_rollups_hourly" | "check_rollups_daily", seq: number, since: Date): Chunks {
  type Row = [string, number, number, number, string, number[]];
  const pages = keysetPages<Row>(EXPORT_BATCH_ROWS, async (after, size) => {
    const r = await pool().query<Row>({
      text: `select (extract(epoch from bucket) * 1000000)::int8, checks, successes, degraded, latency_sum_ms, latency_hist from ${table}
        where monitor_seq = $1 and bucket >= $2 and ($3::int8 is null or bucket > 'epoch'::timestamptz + $3::int8 * interval '1 microsecond')
        order by bucket limit $4`,
      values: [seq, since, after?.[0] ?? null, size],
      rowMode: "array",
    });
    return r.rows;
  });
  return jsonArray(pages, ([us, checks, ok, degraded, sum, hist]) => `["${new Date(Number(us) / 1000).toISOString()}",${checks},${ok},${degraded},${sum},${JSON.stringify(hist)}]`);
}

async function billingOf(o: Organization) {
  const invoices = await db().select().from(billingInvoices).where(eq(billingInvoices.organizationId, o.id)).orderBy(asc(billingInvoices.createdAt));
  const sms = await db().select().from(smsUsage).where(eq(smsUsage.organizationId, o.id)).orderBy(asc(smsUsage.month));
  return {
    planOverride: o.planOverride,
    planOverrideUntil: iso(o.planOverrideUntil),
    stripeCustomerId: o.stripeCustomerId,
    stripeSubscriptionId: o.stripeSubscriptionId,
    subscriptionPlan: o.subscriptionPlan,
    subscriptionInterval: o.subscriptionInterval,
    subscriptionStatus: o.subscriptionStatus,
    currentPeriodEnd: iso(o.currentPeriodEnd),
    cancelAtPeriodEnd: o.cancelAtPeriodEnd,
    trialEndsAt: iso(o.trialEndsAt),
    trialUsed: o.trialUsed,
    pastDueSince: iso(o.pastDueSince),
    invoices: invoices.map((i) => ({
      id: i.id,
      number: i.number,
      status: i.status,
      currency: i.currency,
      amountDue: i.amountDue,
      amountPaid: i.amountPaid,
      periodStart: iso(i.periodStart),
      periodEnd: iso(i.periodEnd),
      hostedInvoiceUrl: i.hostedInvoiceUrl,
      createdAt: i.createdAt.toISOString(),
    })),
    smsUsage: sms.map((s) => ({ month: s.month, sent: s.sent, skipped: s.skipped })),
  };
}

async function membersOf(organizationId: string) {
  const rows = await db()
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt, totp: users.totpEnabledAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role, joinedAt: m.joinedAt.toISOString(), twoFactorEnabled: m.totp !== null }));
}

async function invitationsOf(organizationId: string) {
  const rows = await db().select().from(invitations).where(eq(invitations.organizationId, organizationId)).orderBy(asc(invitations.createdAt));
  return rows.map((i) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    invitedById: i.invitedById,
    expiresAt: i.expiresAt.toISOString(),
    acceptedAt: iso(i.acceptedAt),
    revokedAt: iso(i.revokedAt),
    createdAt: i.createdAt.toISOString(),
  }));
}

async function apiKeysOf(organizationId: string) {
  const rows = await db()
    .select({ k: apiKeys, creator: { id: users.id, name: users.name, email: users.email } })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(asc(apiKeys.createdAt));
  return rows.map((r) => toApiKeyView(r.k, r.creator));
}

/** The dashboard's view (secrets masked), without the heartbeat URL: whoever holds it can report "up". */
async function monitorsOf(organizationId: string) {
  const rows = await db().select().from(monitors).where(eq(monitors.organizationId, organizationId)).orderBy(asc(monitors.createdAt));
  return (await toMonitorViews(rows)).map((v) => ({ ...v, heartbeatUrl: undefined }));
}

async function maintenanceWindowsOf(organizationId: string) {
  const rows = await db().select().from(maintenanceWindows).where(eq(maintenanceWindows.organizationId, organizationId)).orderBy(asc(maintenanceWindows.createdAt));
  return rows.map((w) => ({
    id: w.id,
    name: w.name,
    monitorIds: w.monitorIds,
    kind: w.kind,
    startsAt: iso(w.startsAt),
    endsAt: iso(w.endsAt),
    weekdays: w.weekdays,
    startTime: w.startTime,
    durationMinutes: w.durationMinutes,
    timeZone: w.timeZone,
    createdAt: w.createdAt.toISOString(),
  }));
}

/**
 * Pages with their sections, components, incidents (drafts included), updates and scheduled
 * maintenance. Subscribers are counted, not listed: they gave their address to follow a page,
 * and Perigee shows it to nobody (the API and dashboard show counts only).
 */
async function statusPagesOf(organizationId: string, now: Date) {
  const pages = await db().select().from(statusPages).where(eq(statusPages.organizationId, organizationId)).orderBy(asc(statusPages.createdAt));
  if (!pages.length) return [];
  const ids = pages.map((p) => p.id);
  const [sections, components, incidents, maintenances, subscribers] = await Promise.all([
    db().select().from(statusPageSections).where(inArray(statusPageSections.pageId, ids)),
    db().select().from(statusPageComponents).where(eq(statusPageComponents.organizationId, organizationId)),
    db().select().from(statusIncidents).where(eq(statusIncidents.organizationId, organizationId)).orderBy(asc(statusIncidents.createdAt)),
    db().select().from(statusMaintenances).where(eq(statusMaintenances.organizationId, organizationId)).orderBy(asc(statusMaintenances.startsAt)),
    db()
      .select({ pageId: statusSubscribers.pageId, kind: statusSubscribers.kind, confirmed: statusSubscribers.confirmedAt, n: count() })
      .from(statusSubscribers)
      .where(eq(statusSubscribers.organizationId, organizationId))
      .groupBy(statusSubscribers.pageId, statusSubscribers.kind, statusSubscribers.confirmedAt),
  ]);
  const incidentIds = incidents.map((i) => i.id);
  const [affected, updates] = incidentIds.length
    ? await Promise.all([
        db()
          .select({ incidentId: statusIncidentComponents.incidentId, componentId: statusIncidentComponents.componentId, status: statusIncidentComponents.status, name: statusPageComponents.name })
          .from(statusIncidentComponents)
          .innerJoin(statusPageComponents, eq(statusPageComponents.id, statusIncidentComponents.componentId))
          .where(inArray(statusIncidentComponents.incidentId, incidentIds)),
        db().select().from(statusIncidentUpdates).where(eq(statusIncidentUpdates.organizationId, organizationId)),
      ])
    : [[], []];
  return pages.map((p) => {
    const subs = subscribers.filter((s) => s.pageId === p.id);
    const tally = (kind: string, confirmed: boolean) => subs.filter((s) => s.kind === kind && (s.confirmed !== null) === confirmed).reduce((n, s) => n + s.n, 0);
    return {
      ...toStatusPageView(
        p,
        sections.filter((s) => s.pageId === p.id),
        components.filter((c) => c.pageId === p.id),
      ),
      incidents: incidents
        .filter((i) => i.pageId === p.id)
        .map((i) =>
          toStatusIncidentView(
            i,
            affected.filter((a) => a.incidentId === i.id).map((a) => ({ componentId: a.componentId, name: a.name, status: a.status })),
            updates.filter((u) => u.incidentId === i.id),
          ),
        ),
      maintenances: maintenances.filter((m) => m.pageId === p.id).map((m) => toStatusMaintenanceView(m, now)),
      subscribers: {
        email: { confirmed: tally("email", true), pending: tally("email", false) },
        webhook: { confirmed: tally("webhook", true), pending: tally("webhook", false) },
      },
    };
  });
}

/** The organizations a user belongs to, with the role held in each. */
export async function membershipsOf(userId: string): Promise<ExportMembership[]> {
  const rows = await db()
    .select({ organization: organizations, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    // A deleted organization is inert until restored or purged: not exported meanwhile.
    .where(and(eq(memberships.userId, userId), isNull(organizations.deletedAt)))
    .orderBy(asc(memberships.createdAt));
  return rows;
}
