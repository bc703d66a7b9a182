import { createHmac } from "node:crypto";
import { db } from "../../db/client";
import { probes } from "../../db/schema";
import { env } from "../../env";
import { log } from "../../log";
import { probeAclRules, probeRedisUser } from "../../probes/redis-acl";
import { isCluster, primaries } from "../../redis";

/**
 * A probe's own Redis user (ADR 5). Its password is derived from AUTH_SECRET and the probe's
 * id, so nothing more is stored and any worker can re-assert the user after a Redis restart
 * (ACLs live in memory unless Redis has an aclfile). On a Redis Cluster ACL users are per
 * node: they are set on every primary (a replica promoted later gets them at the next assert,
 * every PROBE_ACL_REFRESH_MS).
 */
export function probeRedisPassword(probeId: string): string {
  return createHmac("sha256", env().AUTH_SECRET).update(`perigee-probe-redis:${probeId}`).digest("hex");
}

/** REDIS_URL for the probe: the central one's host, port, TLS and database, with the probe's user. */
export function probeRedisUrl(probeId: string): string {
  const u = new URL(env().REDIS_URL);
  u.username = probeRedisUser(probeId);
  u.password = probeRedisPassword(probeId);
  return u.toString();
}

/** Runs one ACL command on the Redis, or on every primary of the cluster. */
async function onEveryPrimary(...args: string[]): Promise<void> {
  await Promise.all((await primaries()).map((node) => node.call("ACL", ...args)));
}

export async function grantProbeRedis(probe: { id: string; region: string }): Promise<void> {
  await onEveryPrimary("SETUSER", probeRedisUser(probe.id), ...probeAclRules({ prefix: env().REDIS_PREFIX, region: probe.region, password: probeRedisPassword(probe.id), cluster: isCluster() }));
}

/** Deleting the user also closes its open connections. */
export async function dropProbeRedis(probeId: string): Promise<void> {
  await onEveryPrimary("DELUSER", probeRedisUser(probeId));
}

/** Every active probe's user, as it should be; revoked probes' users removed. */
export async function assertProbeRedisUsers(): Promise<{ granted: number; dropped: number }> {
  const rows = await db().select({ id: probes.id, region: probes.region, revokedAt: probes.revokedAt }).from(probes);
  const active = rows.filter((p) => !p.revokedAt);
  for (const p of active) await grantProbeRedis(p);
  const revoked = rows.filter((p) => p.revokedAt).map((p) => probeRedisUser(p.id));
  if (revoked.length) await onEveryPrimary("DELUSER", ...revoked);
  return { granted: active.length, dropped: revoked.length };
}

export const PROBE_ACL_REFRESH_MS = 5 * 60_000;

/** Re-asserts the probes' users now and every `everyMs` (the worker runs this). */
export function keepProbeRedisUsersAsserted(everyMs = PROBE_ACL_REFRESH_MS): { stop: () => void } {
  let stopped = false;
  const run = () => assertProbeRedisUsers().catch((err: unknown) => stopped || log.error("could not assert the probes' Redis users", { err }));
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
