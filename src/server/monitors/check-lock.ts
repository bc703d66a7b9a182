import { Cluster } from "ioredis";
import { log } from "../log";
import { redis } from "../redis";

/**
 * One monitor/region never runs twice at once (ADR 13). A Redis key per monitor/region holds
 * the slot being checked (`lock:check:<monitorId>:<region>`, the layout probes share, ADR 5):
 * a job for the same slot (a retry after a worker died mid-check) takes the lock over; a job
 * for another slot waits until the earlier check releases it, or its TTL runs out.
 *
 * The lock used to cost three round trips per check (SET NX, then an EVAL carrying the release
 * script). Now the acquisitions and releases asked for in the same turn of the event loop go to
 * Redis together, as one script call each (EVALSHA; a few hundred keys at most), and a second
 * check of the same monitor/region in this process waits in memory for the first instead of
 * polling Redis. On a Redis Cluster the lock keys hash to different slots, so there every key is
 * its own script call: correct, just without the batching.
 */

const ACQUIRE = `
local out = {}
for i, key in ipairs(KEYS) do
  local token, ttl, force = ARGV[3 * i - 2], ARGV[3 * i - 1], ARGV[3 * i]
  if redis.call("set", key, token, "PX", ttl, "NX") then
    out[i] = 1
  elseif force == "1" or redis.call("get", key) == token then
    redis.call("set", key, token, "PX", ttl)
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`;

const RELEASE = `
local n = 0
for i, key in ipairs(KEYS) do
  if redis.call("get", key) == ARGV[i] then n = n + redis.call("del", key) end
end
return n`;

type Scripts = {
  perigeeCheckLockAcquire(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
  perigeeCheckLockRelease(numKeys: number, ...args: (string | number)[]): Promise<number>;
};

const withScripts = new WeakSet<object>();
function client() {
  const c = redis();
  if (!withScripts.has(c)) {
    c.defineCommand("perigeeCheckLockAcquire", { lua: ACQUIRE });
    c.defineCommand("perigeeCheckLockRelease", { lua: RELEASE });
    withScripts.add(c);
  }
  return c as typeof c & Scripts;
}

type Acquire = { key: string; token: string; ttlMs: number; force: boolean; done: (ok: boolean) => void; fail: (e: unknown) => void };
type Release = { key: string; token: string; done: () => void };

let acquires: Acquire[] = [];
let releases: Release[] = [];
let scheduled = false;

function schedule() {
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}

/** Up to 500 keys per script call: long enough to batch, short enough not to stall Redis. */
const chunks = <T>(xs: T[]): T[][] => {
  const size = client() instanceof Cluster ? 1 : 500;
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
};

function flush() {
  scheduled = false;
  const a = acquires;
  const r = releases;
  acquires = [];
  releases = [];
  const c = client();
  for (const batch of chunks(a)) {
    c.perigeeCheckLockAcquire(batch.length, ...batch.map((x) => x.key), ...batch.flatMap((x) => [x.token, x.ttlMs, x.force ? "1" : "0"])).then(
      (res) => batch.forEach((x, i) => x.done(res[i] === 1)),
      (e) => batch.forEach((x) => x.fail(e)),
    );
  }
  for (const batch of chunks(r)) {
    c.perigeeCheckLockRelease(batch.length, ...batch.map((x) => x.key), ...batch.map((x) => x.token)).then(
      () => batch.forEach((x) => x.done()),
      (e) => {
        // The lock then ends with its TTL; the next slot of that monitor may wait for it.
        log.warn("releasing check locks failed", { count: batch.length, err: e });
        batch.forEach((x) => x.done());
      },
    );
  }
}

const acquire = (key: string, token: string, ttlMs: number, force: boolean) =>
  new Promise<boolean>((done, fail) => {
    acquires.push({ key, token, ttlMs, force, done, fail });
    schedule();
  });

const release = (key: string, token: string) =>
  new Promise<void>((done) => {
    releases.push({ key, token, done });
    schedule();
  });

/** Checks running in this process, by lock key: a later one waits for the earlier in memory. */
const running = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding the lock of `monitorId`/`region` for the slot `slotMs`. The lock lives at
 * most `ttlMs` (a check that outlives it, or a dead worker's, no longer holds anyone up), and
 * a job that waited `ttlMs` for it takes it over.
 */
export async function withCheckLock<T>(monitorId: string, region: string, slotMs: number, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  const key = `lock:check:${monitorId}:${region}`;
  const token = String(slotMs);
  const deadline = Date.now() + ttlMs;
  for (let earlier = running.get(key); earlier; earlier = running.get(key)) {
    await earlier.catch(() => undefined);
  }
  const mine = (async () => {
    while (!(await acquire(key, token, ttlMs, Date.now() > deadline))) await new Promise((r) => setTimeout(r, 200));
    try {
      return await fn();
    } finally {
      void release(key, token);
    }
  })();
  running.set(key, mine);
  try {
    return await mine;
  } finally {
    if (running.get(key) === mine) running.delete(key);
  }
}
