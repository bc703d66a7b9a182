/**
 * Remote probe: `npm run probe -- --region <name>`. Takes its region's check jobs from Redis
 * as its own ACL user (only its region's queue and check locks, ADR 5), runs them, and POSTs
 * signed results to web. It has no database access (nothing here imports
 * the database layer): config comes from web, per monitor version, over the signed channel.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { runCheck } from "../src/server/checks/run-check";
import { EnvError, probeEnv, type ProbeEnv } from "../src/server/env";
import type { CheckResult, ExecutableConfig } from "../src/server/checks/types";
import { scheduledAtOf } from "../src/server/probes/slot";
import { probeRedisUser } from "../src/server/probes/redis-acl";
import { dayOf, mintProbeToken, signBody } from "../src/server/probes/token";
import { JOBS } from "../src/server/jobs/catalog";
import type { CheckJob } from "../src/server/monitors/schedule";

export type ProbeOptions = {
  region: string;
  webUrl: string;
  probeId: string;
  secret: string;
  redisUrl: string;
  prefix: string;
  allowPrivate: boolean;
  concurrency?: number;
  log?: (msg: string) => void;
};

type Pending = { monitorId: string; version: number; region: string; scheduledAt: string; startedAt: string; result: CheckResult };

class AuthRefused extends Error {}

export async function startProbe(o: ProbeOptions) {
  const log = o.log ?? ((m: string) => console.log(`[probe ${o.region}] ${m}`));
  const conn = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const locks = new Redis(o.redisUrl, { keyPrefix: o.prefix, maxRetriesPerRequest: 2 });
  // A probe's host should hold only its own Redis user (ADR 5): say so when it holds more.
  const user = await locks.call("ACL", "WHOAMI").catch(() => null);
  if (user !== probeRedisUser(o.probeId))
    log(
      `warning: connected to Redis as "${String(user)}", not as this probe's own user ${probeRedisUser(o.probeId)}; use the REDIS_URL printed by probe:create so this host can reach nothing but its region's jobs`,
    );
  let token = { value: "", mintedAt: 0 };
  const bearer = () => {
    const now = Math.floor(Date.now() / 1000);
    // Re-minted hourly, and always on a new UTC day, so the daily key rotation is seamless.
    if (!token.value || now - token.mintedAt > 3600 || dayOf(now) !== dayOf(token.mintedAt)) token = { value: mintProbeToken(o.probeId, o.region, o.secret, now), mintedAt: now };
    return token;
  };
  const signedHeaders = (body: string) => {
    const t = bearer();
    const ts = String(Math.floor(Date.now() / 1000));
    return { authorization: `Bearer ${t.value}`, "x-perigee-timestamp": ts, "x-perigee-signature": signBody(o.secret, dayOf(t.mintedAt), ts, body), "content-type": "application/json" };
  };

  const configs = new Map<string, { version: number; config: ExecutableConfig | null; paused: boolean; timeoutMs: number }>();
  async function configFor(monitorId: string, version: number) {
    const hit = configs.get(monitorId);
    if (hit && hit.version >= version) return hit;
    const res = await fetch(`${o.webUrl}/api/probe/monitors/${monitorId}`, { headers: signedHeaders("") });
    if (res.status === 404) {
      configs.delete(monitorId);
      return null;
    }
    if (res.status === 401 || res.status === 403) throw new AuthRefused(`web refused this probe (${res.status}): ${(await res.text()).slice(0, 300)}`);
    if (!res.ok) throw new Error(`config fetch failed with HTTP ${res.status}`);
    const body = (await res.json()) as { version: number; config: ExecutableConfig | null; paused: boolean };
    const entry = { ...body, timeoutMs: (body.config as { timeoutMs?: number } | null)?.timeoutMs ?? 10_000 };
    configs.set(monitorId, entry);
    return entry;
  }

  let pending: { item: Pending; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  async function post(items: Pending[]) {
    const body = JSON.stringify({ batchId: randomBytes(12).toString("base64url"), results: items });
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let text = "";
      try {
        const res = await fetch(`${o.webUrl}/api/probe/results`, { method: "POST", headers: signedHeaders(body), body });
        status = res.status;
        text = await res.text();
      } catch (e) {
        text = (e as Error).message;
      }
      // 409 "replayed" means an earlier attempt of this same batch was stored.
      if (status === 202 || (status === 409 && text.includes("replayed"))) return;
      if (status === 401 || status === 403 || status === 400) throw new AuthRefused(`web refused the results (${status}): ${text.slice(0, 300)}`);
      if (attempt >= 5) throw new Error(`posting results failed (${status || "network"}): ${text.slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, Math.min(8000, 250 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    if (!batch.length) return chain;
    chain = chain.then(() =>
      post(batch.map((b) => b.item)).then(
        () => batch.forEach((b) => b.resolve()),
        (e) => {
          log(`results not delivered: ${(e as Error).message}`);
          batch.forEach((b) => b.reject(e));
        },
      ),
    );
    return chain;
  }
  const submit = (item: Pending) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= 200) void flush();
      else timer ??= setTimeout(() => void flush(), 50);
    });

  async function withLock<T>(key: string, slot: number, ttlMs: number, fn: () => Promise<T>): Promise<T> {
    const token = String(slot);
    const deadline = Date.now() + ttlMs;
    while (!(await locks.set(key, token, "PX", ttlMs, "NX")) && (await locks.get(key)) !== token && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    try {
      return await fn();
    } finally {
      await locks.eval(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`, 1, key, token);
    }
  }

  const worker = new Worker<CheckJob>(
    `checks-${o.region}`,
    async (job) => {
      // The same payload schema the central worker parses with (jobs/catalog.ts).
      const parsed = JOBS.check.payload.safeParse(job.data);
      if (!parsed.success || parsed.data.region !== o.region) throw new UnrecoverableError(`invalid check payload for region ${o.region}`);
      const { monitorId, version, region } = parsed.data;
      const cfg = await configFor(monitorId, version);
      if (!cfg || !cfg.config || cfg.paused) return { skipped: true };
      const scheduledAt = scheduledAtOf(job);
      const startedAt = new Date();
      const config = cfg.config;
      const result = await withLock(`lock:check:${monitorId}:${region}`, scheduledAt.getTime(), cfg.timeoutMs + 5000, () => runCheck(config, { allowPrivate: o.allowPrivate }));
      await submit({ monitorId, version, region, scheduledAt: scheduledAt.toISOString(), startedAt: startedAt.toISOString(), result });
      return { outcome: result.outcome };
    },
    { connection: conn, prefix: `${o.prefix}bull`, concurrency: o.concurrency ?? 100 },
  );
  worker.on("failed", (job, err) => log(`check failed for ${job?.data.monitorId}: ${err.message}`));
  log(`ready: taking jobs from checks-${o.region}, posting to ${o.webUrl}`);

  return {
    worker,
    async stop() {
      await worker.close();
      await flush().catch(() => undefined);
      conn.disconnect();
      locks.disconnect();
    },
  };
}

const isMain = process.argv[1] && /workers[\\/]probe\.ts$/.test(process.argv[1]);
if (isMain) {
  const { values } = parseArgs({ options: { region: { type: "string" } }, strict: true });
  if (!values.region) {
    console.error("[probe] --region <name> is required, e.g. npm run probe -- --region eu-west");
    process.exit(2);
  }
  let e: ProbeEnv;
  try {
    e = probeEnv();
  } catch (err) {
    console.error(`[probe] ${err instanceof EnvError ? err.issues.join("; ") : (err as Error).message}`);
    process.exit(2);
  }
  startProbe({
    region: values.region,
    webUrl: e.PERIGEE_URL,
    probeId: e.PROBE_ID,
    secret: e.PROBE_SECRET,
    redisUrl: e.REDIS_URL,
    prefix: e.REDIS_PREFIX,
    allowPrivate: e.ALLOW_PRIVATE_TARGETS,
    concurrency: e.CHECK_CONCURRENCY,
  }).then(
    ({ stop }) => {
      const onSignal = (s: string) => {
        console.log(`[probe] ${s}: finishing current checks…`);
        void stop().then(() => process.exit(0));
        setTimeout(() => process.exit(1), 30_000).unref();
      };
      process.on("SIGINT", () => onSignal("SIGINT"));
      process.on("SIGTERM", () => onSignal("SIGTERM"));
    },
    (e) => {
      console.error(`[probe] failed to start: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
