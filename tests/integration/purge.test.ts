import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import type { Monitor } from "../../src/server/db/schema";
import { MONITOR_TYPES } from "../../src/server/monitors/kinds";
import { recordResults } from "../../src/server/monitors/record-results";
import { checkQueue, schedulerId, syncSchedule } from "../../src/server/monitors/schedule";
import { JOBS } from "../../src/server/jobs/catalog";
import { purgeDeleted } from "../../src/server/privacy/purge";
import { eraseAccount, eraseOrganization } from "../../src/server/services/privacy/internal";
import { addMember, createTenant, meta } from "../helpers/factories";
import { insertMonitor, res, up, down } from "../helpers/monitor-factory";
import { insertComponent, insertIncident, insertMaintenance, insertPage, insertSection } from "../helpers/status-factory";

const DAY = 86_400_000;
const x = (q: ReturnType<typeof sql>) => db().execute(q);

/**
 * One organization with rows in every table that can hold its data: monitors of every kind
 * with results (two daily partitions), rollups, 90-day summaries, incidents, events, failures,
 * channels, deliveries and their log, status pages with everything on them, subscribers and
 * notices, maintenance windows, API keys and their access log, invitations, audit, SMS usage,
 * billing; and users with sessions, recovery codes and every kind of token.
 */
async function populate(label: string) {
  const t = await createTenant(label);
  const { org, admin, editor, viewer } = t;
  const mons: Monitor[] = [];
  for (const type of MONITOR_TYPES) mons.push(await insertMonitor(org.id, { type, name: `${type} monitor`, createdById: admin.id, regions: ["default"] }));
  const [http] = mons;
  await syncSchedule(http!);
  await checkQueue("default").add(JOBS.check.name, { monitorId: http!.id, version: http!.version, region: "default" }, { delay: 3_600_000, jobId: `queued-${http!.id}` });
  const now = new Date();
  const slot = (ago: number) => new Date(Math.floor((now.getTime() - ago) / 60_000) * 60_000);
  await recordResults(
    mons.flatMap((m) => [res(m.id, up(), "default", slot(DAY)), res(m.id, down(), "default", slot(120_000)), res(m.id, down(), "default", slot(60_000))]),
    now,
  );
  for (const m of mons) {
    await x(sql`insert into uptime_90d (monitor_seq, through_day, checks, successes) values (${m.seq}, current_date, 10, 9) on conflict do nothing`);
    await x(sql`insert into monitor_region_state (monitor_id, region) values (${m.id}, 'eu') on conflict do nothing`);
    await x(sql`insert into check_failures (monitor_id, region, scheduled_at, error_class) values (${m.id}, 'eu', now(), 'status')`);
  }
  // The two "down" results opened an incident; someone acknowledged it.
  const [inc] = (await x(sql`update incidents set acknowledged_by_id = ${editor.id} where monitor_id = ${http!.id} returning id`)).rows as { id: string }[];
  const [ev] = (await x(sql`insert into monitor_events (organization_id, monitor_id, incident_id, kind) values (${org.id}, ${http!.id}, ${inc!.id}, 'down') returning id`)).rows as {
    id: number;
  }[];
  await x(sql`insert into incident_notes (organization_id, incident_id, author_id, body) values (${org.id}, ${inc!.id}, ${editor.id}, 'looking')`);
  const [ch] = (await x(sql`insert into notification_channels (organization_id, name, type, created_by_id) values (${org.id}, 'Mail', 'email', ${admin.id}) returning id`)).rows as { id: string }[];
  await x(sql`insert into monitor_channels (monitor_id, channel_id) values (${http!.id}, ${ch!.id})`);
  const [dl] = (await x(sql`insert into notification_deliveries (organization_id, event_id, channel_id) values (${org.id}, ${ev!.id}, ${ch!.id}) returning id`)).rows as { id: string }[];
  await x(sql`insert into notification_log (organization_id, delivery_id, channel_id, monitor_id, channel_name, channel_type, event_kind, attempt, latency_ms, status)
    values (${org.id}, ${dl!.id}, ${ch!.id}, ${http!.id}, 'Mail', 'email', 'down', 1, 5, 'delivered')`);

  const page = await insertPage(org.id);
  const section = await insertSection(page.id, "Core");
  const comp = await insertComponent(page, { monitor: http!, sectionId: section.id });
  const sInc = await insertIncident(page, { components: [{ id: comp.id, status: "major_outage" }] });
  await x(sql`update status_incidents set created_by_id = ${admin.id}, monitor_incident_id = ${inc!.id} where id = ${sInc.id}`);
  await x(sql`update status_incident_updates set created_by_id = ${admin.id} where incident_id = ${sInc.id}`);
  await insertMaintenance(page, { startsAt: new Date(now.getTime() + DAY), endsAt: new Date(now.getTime() + 2 * DAY), components: [comp] });
  await x(sql`update status_maintenances set created_by_id = ${admin.id} where page_id = ${page.id}`);
  const [sub] = (await x(sql`insert into status_subscribers (organization_id, page_id, kind, email) values (${org.id}, ${page.id}, 'email', 'reader@example.test') returning id`)).rows as {
    id: string;
  }[];
  const [notice] = (await x(sql`insert into status_notices (organization_id, page_id, kind, incident_id) values (${org.id}, ${page.id}, 'incident_published', ${sInc.id}) returning id`)).rows as {
    id: number;
  }[];
  await x(sql`insert into status_notice_deliveries (organization_id, notice_id, subscriber_id) values (${org.id}, ${notice!.id}, ${sub!.id})`);

  const [key] = (
    await x(
      sql`insert into api_keys (organization_id, created_by_id, name, prefix, key_hash, scopes) values (${org.id}, ${admin.id}, 'ci', 'pk_x', ${randomBytes(16).toString("hex")}, '{monitors:read}') returning id`,
    )
  ).rows as { id: string }[];
  await x(sql`insert into api_access_log (organization_id, api_key_id, method, route, status, latency_ms) values (${org.id}, ${key!.id}, 'GET', '/api/v1/monitors', 200, 3)`);
  await x(
    sql`insert into invitations (organization_id, email, role, token_hash, expires_at, invited_by_id) values (${org.id}, 'new@example.test', 'VIEWER', ${randomBytes(16).toString("hex")}, now() + interval '1 day', ${admin.id})`,
  );
  await x(sql`insert into audit_log (organization_id, actor_user_id, action, target_type, target_id) values (${org.id}, ${admin.id}, 'member.removed', 'user', ${viewer.id})`);
  await x(sql`insert into sms_usage (organization_id, month, sent) values (${org.id}, date_trunc('month', now())::date, 3)`);
  const invoice = `in_${randomBytes(6).toString("hex")}`;
  const stripeEvent = `evt_${randomBytes(6).toString("hex")}`;
  await x(sql`insert into billing_invoices (id, organization_id, stripe_customer_id, status, currency, amount_due, amount_paid) values (${invoice}, ${org.id}, 'cus_x', 'paid', 'eur', 900, 900)`);
  await x(sql`insert into stripe_events (id, type, organization_id) values (${stripeEvent}, 'invoice.paid', ${org.id})`);
  for (const u of [admin, editor, viewer]) {
    await x(sql`insert into sessions (id_hash, user_id, active_organization_id, expires_at) values (${randomBytes(16).toString("hex")}, ${u.id}, ${org.id}, now() + interval '1 day')`);
    await x(sql`insert into recovery_codes (user_id, code_hash) values (${u.id}, ${randomBytes(16).toString("hex")})`);
    await x(sql`insert into password_reset_tokens (token_hash, user_id, expires_at) values (${randomBytes(16).toString("hex")}, ${u.id}, now() + interval '1 hour')`);
    await x(sql`insert into email_tokens (token_hash, user_id, purpose, email, expires_at) values (${randomBytes(16).toString("hex")}, ${u.id}, 'verify', ${u.email}, now() + interval '1 hour')`);
    await x(sql`insert into audit_log (actor_user_id, action, ip, user_agent) values (${u.id}, 'auth.signed_in', '203.0.113.9', 'Firefox')`);
  }
  return { ...t, mons, http: http!, page, invoice, stripeEvent, users: [admin, editor, viewer] };
}

type Col = { table: string; column: string; type: string; udt: string };

/** Every column of every table (partitions included) that can name an organization, a monitor or a user. */
async function referenceColumns(): Promise<Col[]> {
  const r = await x(sql`
    select c.table_name as table, c.column_name as column, c.data_type as type, c.udt_name as udt
    from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.table_name not like '\\_\\_drizzle%'
      and (c.udt_name in ('uuid', '_uuid') or c.column_name = 'monitor_seq' or (c.data_type = 'text' and c.column_name like '%\\_id'))
    order by 1, 2`);
  return r.rows as Col[];
}

/** Rows per table that reference any of the ids or seqs. */
async function references(cols: Col[], ids: string[], seqs: number[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of cols) {
    const col = sql.identifier(c.column);
    const cond =
      c.column === "monitor_seq"
        ? sql`${col} = any(${sql.param(seqs)}::int[])`
        : c.udt === "_uuid"
          ? sql`${col} && ${sql.param(ids)}::uuid[]`
          : c.udt === "uuid"
            ? sql`${col} = any(${sql.param(ids)}::uuid[])`
            : sql`${col} = any(${sql.param(ids)}::text[])`;
    const r = await x(sql`select count(*)::int as n from ${sql.identifier(c.table)} where ${cond}`);
    const n = (r.rows[0] as { n: number }).n;
    if (n) out[`${c.table}.${c.column}`] = n;
  }
  return out;
}

const tablesOf = (refs: Record<string, number>) => new Set(Object.keys(refs).map((k) => k.split(".")[0]!));
const orgRows = async (orgId: string) => {
  const r = await x(sql`select table_name as t from information_schema.columns where table_schema = 'public' and column_name = 'organization_id' order by 1`);
  const out: Record<string, number> = {};
  for (const { t } of r.rows as { t: string }[]) out[t] = ((await x(sql`select count(*)::int as n from ${sql.identifier(t)} where organization_id = ${orgId}`)).rows[0] as { n: number }).n;
  return out;
};

describe("privacy purge", { timeout: 120_000 }, () => {
  it("after the grace, nothing in any table references the purged organization, its monitors or its users; billing stays detached; another organization is untouched", async () => {
    const a = await populate("Purged");
    const b = await populate("Kept");
    // A's admin also works in B: B keeps what they did there, without them.
    await addMember(b.org.id, a.admin.id, "EDITOR");
    await x(
      sql`insert into audit_log (organization_id, actor_user_id, action, target_type, target_id, ip, user_agent) values (${b.org.id}, ${a.admin.id}, 'monitor.created', 'user', ${a.admin.id}, '203.0.113.9', 'Firefox')`,
    );
    await x(
      sql`insert into audit_log (organization_id, actor_user_id, action, metadata) values (${b.org.id}, ${b.admin.id}, 'member.invited', ${JSON.stringify({ email: a.viewer.email.toUpperCase() })}::jsonb)`,
    );
    await x(sql`update monitors set created_by_id = ${a.admin.id} where id = ${b.http.id}`);
    await x(sql`update incidents set acknowledged_by_id = ${a.admin.id} where organization_id = ${b.org.id}`);
    await x(
      sql`insert into invitations (organization_id, email, role, token_hash, expires_at, invited_by_id) values (${b.org.id}, 'b-new@example.test', 'VIEWER', ${randomUUID()}, now() + interval '1 day', ${a.admin.id})`,
    );
    await x(
      sql`insert into invitations (organization_id, email, role, token_hash, expires_at, invited_by_id) values (${b.org.id}, ${a.editor.email}, 'VIEWER', ${randomUUID()}, now() + interval '1 day', ${b.admin.id})`,
    );

    // The organization, its monitors, its users, and every row it owns that has a uuid id (pages,
    // incidents, channels…), so child rows reached only through those (sections, incident
    // components) are checked too.
    const owned = await x(sql`select table_name as t from information_schema.columns c where table_schema = 'public' and column_name = 'organization_id'
      and exists (select 1 from information_schema.columns i where i.table_schema = 'public' and i.table_name = c.table_name and i.column_name = 'id' and i.udt_name = 'uuid')`);
    const ownedIds: string[] = [];
    for (const { t } of owned.rows as { t: string }[]) {
      for (const r of (await x(sql`select id from ${sql.identifier(t)} where organization_id = ${a.org.id}`)).rows as { id: string }[]) ownedIds.push(r.id);
    }
    const aIds = [a.org.id, ...a.mons.map((m) => m.id), ...a.users.map((u) => u.id), ...ownedIds];
    const aSeqs = a.mons.map((m) => m.seq);
    const cols = await referenceColumns();
    const before = await references(cols, aIds, aSeqs);
    // The fixture really covers every table that can hold the organization's data.
    const all = new Set(cols.map((c) => c.table));
    // Probes are the install's, not a tenant's.
    const uncovered = [...all].filter((t) => !tablesOf(before).has(t) && !/^check_results_p\d{8}$/.test(t) && t !== "check_results_default" && t !== "probes");
    expect(uncovered).toEqual([]);
    expect([...tablesOf(before)].filter((t) => /^check_results_p\d{8}$/.test(t)).length).toBeGreaterThanOrEqual(2);

    const bBefore = await orgRows(b.org.id);
    const bSeqsBefore = await references(
      cols,
      [],
      b.mons.map((m) => m.seq),
    );

    await eraseOrganization({ organizationId: a.org.id, byUserId: a.admin.id, meta });
    for (const u of a.users) await eraseAccount({ userId: u.id, meta, input: null });
    // Deleted "long ago", so this run purges A without touching what other test files delete
    // at the same time (the database is shared); erasure.test.ts runs `privacy:purge --grace 0`.
    const longAgo = new Date(Date.now() - 400 * DAY);
    await x(sql`update organizations set deleted_at = ${longAgo} where id = ${a.org.id}`);
    await x(sql`update users set deleted_at = ${longAgo} where id = any(${sql.param(a.users.map((u) => u.id))}::uuid[])`);
    await purgeDeleted({ graceDays: 365 });

    expect(await references(cols, aIds, aSeqs)).toEqual({});
    const billing =
      await x(sql`select (select organization_id from billing_invoices where id = ${a.invoice}) as invoice_org, (select organization_id from stripe_events where id = ${a.stripeEvent}) as event_org,
      (select count(*)::int from billing_invoices where id = ${a.invoice}) + (select count(*)::int from stripe_events where id = ${a.stripeEvent}) as kept`);
    expect(billing.rows[0]).toEqual({ invoice_org: null, event_org: null, kept: 2 });
    expect(await checkQueue("default").getJobScheduler(schedulerId(a.http.id))).toBeUndefined();
    expect(await checkQueue("default").getJob(`queued-${a.http.id}`)).toBeUndefined();
    // The person is gone from what B keeps: their audit row has no actor, address or agent.
    const kept = await x(sql`select actor_user_id, ip, user_agent, target_id from audit_log where organization_id = ${b.org.id} and action = 'monitor.created'`);
    expect(kept.rows).toEqual([{ actor_user_id: null, ip: null, user_agent: null, target_id: null }]);
    const named = await x(sql`select count(*)::int as n from audit_log where position(lower(${a.viewer.email}) in lower(metadata::text)) > 0`);
    expect(named.rows[0]).toEqual({ n: 0 });
    const invited = await x(sql`select count(*)::int as n from invitations where lower(email) = lower(${a.editor.email})`);
    expect(invited.rows[0]).toEqual({ n: 0 });

    // B: the same rows as before, but for the membership and the invitation of the purged users.
    const bAfter = await orgRows(b.org.id);
    expect(bAfter).toEqual({ ...bBefore, memberships: bBefore.memberships! - 1, invitations: bBefore.invitations! - 1 });
    expect(
      await references(
        cols,
        [],
        b.mons.map((m) => m.seq),
      ),
    ).toEqual(bSeqsBefore);
    expect(await checkQueue("default").getJobScheduler(schedulerId(b.http.id))).toBeDefined();

    // Idempotent: a second run finds nothing left of A.
    await purgeDeleted({ graceDays: 365 });
    expect(await references(cols, aIds, aSeqs)).toEqual({});
  });
});
