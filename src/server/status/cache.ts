/**
 * Where public requests get a page's snapshot without touching the database: process memory,
 * checked against Redis at most once a second, then Redis, and only on a cold miss the
 * database (status/snapshot.ts). Builders (the worker's statusSnapshots job, and whoever calls
 * invalidateStatusPages) write Redis and bump the page's version key; every web process sees
 * the new version within a second. With Postgres down the last snapshot keeps being served,
 * marked stale with its age; with Redis down too, the one in memory.
 *
 * Redis keys (under REDIS_PREFIX): status:{id}:snap (the entry, MAC'd: its gate grants access),
 * status:{id}:ver, status:{id}:fail (last failed rebuild) — one page's keys share a hash tag,
 * so they stay one slot on a Redis Cluster and change in one MULTI — status:slug:{slug} and
 * status:domain:{host} (→ page id), status:stale (set of ids to rebuild), status:due (maintenance
 * start/end times), status:known (set).
 */
import { eq, inArray } from "drizzle-orm";
import { db } from "../db/client";
import { statusPageComponents, statusPages } from "../db/schema";
import { verifiedValue, withMac } from "../auth/redis-mac";
import { log } from "../log";
import { redis } from "../redis";
import { buildSnapshot } from "./snapshot";
import type { SnapshotEntry } from "./snapshot-types";

/** How long a memory entry is served before its version is checked in Redis. */
const REVALIDATE_MS = 1000;
/** A snapshot older than this is shown as possibly out of date (the worker rebuilds every page each minute). */
export const STALE_AFTER_SECONDS = 150;
/** Unknown slugs and hosts are remembered this long, so a flood of 404s doesn't reach the database. */
const NEGATIVE_MS = 5000;

const K = {
  snap: (id: string) => `status:{${id}}:snap`,
  ver: (id: string) => `status:{${id}}:ver`,
  fail: (id: string) => `status:{${id}}:fail`,
  slug: (slug: string) => `status:slug:${slug}`,
  domain: (host: string) => `status:domain:${host}`,
  stale: "status:stale",
  /** Sorted set: page id → when its shown maintenance next starts or ends (ms). */
  due: "status:due",
  known: "status:known",
  sweep: "status:sweep",
};

type Mem = { entry: SnapshotEntry; ver: number; checkedAt: number; failAt: string | null; unconfirmed: boolean };
type Holder = { entries: Map<string, Mem>; slugs: Map<string, { id: string | null; at: number }>; domains: Map<string, { id: string | null; at: number }>; inflight: Map<string, Promise<Mem | null>> };
const mem = ((globalThis as unknown as { __perigeeStatus?: Holder }).__perigeeStatus ??= { entries: new Map(), slugs: new Map(), domains: new Map(), inflight: new Map() });

export type CachedPage = { entry: SnapshotEntry; ageSeconds: number; stale: boolean };

/** Neither a cached snapshot nor the database could answer. */
export class SnapshotUnavailable extends Error {}

function view(m: Mem, now = Date.now()): CachedPage {
  const built = Date.parse(m.entry.snapshot.builtAt);
  const ageSeconds = Math.max(0, Math.floor((now - built) / 1000));
  const stale = m.unconfirmed || ageSeconds > STALE_AFTER_SECONDS || (m.failAt !== null && Date.parse(m.failAt) > built);
  return { entry: m.entry, ageSeconds, stale };
}

/** Builds one page and publishes it to Redis and this process's memory. Null: the page is gone. */
export async function rebuildPage(pageId: string): Promise<SnapshotEntry | null> {
  let entry: SnapshotEntry | null;
  try {
    entry = await buildSnapshot(pageId);
  } catch (err) {
    await redis()
      .set(K.fail(pageId), new Date().toISOString(), "EX", 3600)
      .catch(() => undefined);
    throw err;
  }
  if (!entry) {
    mem.entries.delete(pageId);
    await Promise.all([redis().multi().del(K.snap(pageId), K.fail(pageId)).incr(K.ver(pageId)).exec(), redis().srem(K.known, pageId)]);
    return null;
  }
  // The page's own keys change together (one slot); the shared indexes are separate keys, written alongside.
  const page = redis()
    .multi()
    .set(K.snap(pageId), withMac(K.snap(pageId), JSON.stringify(entry)))
    .incr(K.ver(pageId))
    .del(K.fail(pageId))
    .exec();
  const now = Date.now();
  const next = entry.snapshot.maintenances
    .flatMap((x) => [Date.parse(x.startsAt), Date.parse(x.endsAt)])
    .filter((t) => t > now)
    .sort((a, b) => a - b)[0];
  const [res] = await Promise.all([
    page,
    redis().sadd(K.known, pageId),
    redis().set(K.slug(entry.snapshot.page.slug), pageId),
    next !== undefined ? redis().zadd(K.due, next, pageId) : redis().zrem(K.due, pageId),
    entry.gate.customDomain ? redis().set(K.domain(entry.gate.customDomain), pageId) : null,
  ]);
  const ver = Number(res?.[1]?.[1] ?? 0);
  const prev = mem.entries.get(pageId);
  if (!prev || prev.ver < ver || Date.parse(prev.entry.snapshot.builtAt) < Date.parse(entry.snapshot.builtAt))
    mem.entries.set(pageId, { entry, ver, checkedAt: Date.now(), failAt: null, unconfirmed: false });
  mem.slugs.set(entry.snapshot.page.slug, { id: pageId, at: Date.now() });
  if (entry.gate.customDomain) mem.domains.set(entry.gate.customDomain, { id: pageId, at: Date.now() });
  return entry;
}

async function fromRedis(pageId: string, m: Mem | undefined): Promise<Mem | null | "miss"> {
  const [ver, fail] = await redis().mget(K.ver(pageId), K.fail(pageId));
  const failAt = fail ?? null;
  if (ver == null) return "miss";
  if (m && Number(ver) === m.ver) return { ...m, checkedAt: Date.now(), failAt, unconfirmed: false };
  const raw = verifiedValue(K.snap(pageId), await redis().get(K.snap(pageId)));
  if (!raw) return "miss";
  return { entry: JSON.parse(raw) as SnapshotEntry, ver: Number(ver), checkedAt: Date.now(), failAt, unconfirmed: false };
}

async function load(pageId: string): Promise<Mem | null> {
  const m = mem.entries.get(pageId);
  let r: Mem | null | "miss";
  try {
    r = await fromRedis(pageId, m);
  } catch (err) {
    // Redis is unreachable: serve what this process has, marked as unconfirmed.
    if (m) return Object.assign(m, { checkedAt: Date.now(), unconfirmed: true });
    log.warn("status snapshot: Redis unavailable", { err: (err as Error).message });
    r = "miss";
  }
  if (r !== "miss") {
    if (r) mem.entries.set(pageId, r);
    return r;
  }
  try {
    const entry = await rebuildPage(pageId);
    return entry ? (mem.entries.get(pageId) ?? { entry, ver: 0, checkedAt: Date.now(), failAt: null, unconfirmed: false }) : null;
  } catch (err) {
    if (m) return Object.assign(m, { checkedAt: Date.now(), unconfirmed: true });
    log.warn("status snapshot: could not build", { err: (err as Error).message });
    throw new SnapshotUnavailable("The status page is temporarily unavailable.");
  }
}

/** The cached page by id; null when it does not exist. Throws SnapshotUnavailable when nothing can answer. */
export async function pageById(pageId: string): Promise<CachedPage | null> {
  const m = mem.entries.get(pageId);
  if (m && Date.now() - m.checkedAt < REVALIDATE_MS) return view(m);
  let p = mem.inflight.get(pageId);
  if (!p) {
    p = load(pageId).finally(() => mem.inflight.delete(pageId));
    mem.inflight.set(pageId, p);
  }
  const got = await p;
  return got ? view(got) : null;
}

async function byName(
  map: Map<string, { id: string | null; at: number }>,
  name: string,
  key: string,
  lookup: () => Promise<string | null>,
  matches: (e: SnapshotEntry) => boolean,
): Promise<CachedPage | null> {
  const known = map.get(name);
  if (known && known.id === null && Date.now() - known.at < NEGATIVE_MS) return null;
  const tryId = async (id: string | null | undefined) => {
    if (!id) return null;
    const p = await pageById(id);
    return p && matches(p.entry) ? p : null;
  };
  const fromMem = await tryId(known?.id);
  if (fromMem) return fromMem;
  const redisId = await redis()
    .get(key)
    .catch(() => null);
  const fromRedis = redisId && redisId !== known?.id ? await tryId(redisId) : null;
  if (fromRedis) {
    map.set(name, { id: redisId, at: Date.now() });
    return fromRedis;
  }
  let id: string | null;
  try {
    id = await lookup();
  } catch {
    throw new SnapshotUnavailable("The status page is temporarily unavailable.");
  }
  const found = await tryId(id);
  map.set(name, { id: found ? id : null, at: Date.now() });
  return found;
}

/** The cached page served at /status/{slug}. */
export async function pageBySlug(slug: string): Promise<CachedPage | null> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) return null;
  return byName(
    mem.slugs,
    slug,
    K.slug(slug),
    async () => (await db().select({ id: statusPages.id }).from(statusPages).where(eq(statusPages.slug, slug)))[0]?.id ?? null,
    (e) => e.snapshot.page.slug === slug,
  );
}

/** The cached page whose custom domain is `host` (verified or not: the caller decides). */
export async function pageByDomain(host: string): Promise<CachedPage | null> {
  const h = host.toLowerCase();
  if (!/^[a-z0-9.-]{1,253}$/.test(h)) return null;
  return byName(
    mem.domains,
    h,
    K.domain(h),
    async () => (await db().select({ id: statusPages.id }).from(statusPages).where(eq(statusPages.customDomain, h)))[0]?.id ?? null,
    (e) => e.gate.customDomain === h,
  );
}

/** Marks pages for the worker to rebuild (status:stale). */
export async function markStale(pageIds: string[]): Promise<void> {
  if (pageIds.length) await redis().sadd(K.stale, ...pageIds);
}

/** Pages showing any of these monitors, any page of the organization, plus the ones named. */
export async function pagesOf(sel: { pageIds?: string[]; monitorIds?: string[]; organizationId?: string }): Promise<string[]> {
  const ids = new Set(sel.pageIds ?? []);
  if (sel.monitorIds?.length) {
    const rows = await db().selectDistinct({ id: statusPageComponents.pageId }).from(statusPageComponents).where(inArray(statusPageComponents.monitorId, sel.monitorIds));
    for (const r of rows) ids.add(r.id);
  }
  if (sel.organizationId) {
    const rows = await db().select({ id: statusPages.id }).from(statusPages).where(eq(statusPages.organizationId, sel.organizationId));
    for (const r of rows) ids.add(r.id);
  }
  return [...ids];
}

/**
 * The worker's job, every ~2 s: rebuilds the pages marked stale, and about once a minute
 * every page (uptime bars move, the engine's weekly windows open and close without a write),
 * and pages whose shown maintenance starts or ends (status:due). When
 * the database is down, every known page is flagged so visitors see it may be out of date.
 */
export async function refreshStatusSnapshots(): Promise<{ rebuilt: number; failed: number }> {
  const ids = new Set((await redis().spop(K.stale, 1000)) ?? []);
  // Maintenance that starts or ends now changes the page without any write.
  const due = await redis().zrangebyscore(K.due, 0, Date.now());
  if (due.length) {
    await redis().zrem(K.due, ...due);
    for (const id of due) ids.add(id);
  }
  const sweep = (await redis().set(K.sweep, "1", "EX", 55, "NX")) === "OK";
  if (sweep) {
    try {
      for (const r of await db().select({ id: statusPages.id }).from(statusPages)) ids.add(r.id);
    } catch (err) {
      const known = await redis().smembers(K.known);
      const at = new Date().toISOString();
      await Promise.all(known.map((id) => redis().set(K.fail(id), at, "EX", 3600)));
      throw err;
    }
  }
  let rebuilt = 0;
  let failed = 0;
  for (const id of ids) {
    try {
      await rebuildPage(id);
      rebuilt++;
    } catch (err) {
      failed++;
      await markStale([id]).catch(() => undefined);
      log.warn("status snapshot rebuild failed", { pageId: id, err: (err as Error).message });
    }
  }
  return { rebuilt, failed };
}
