import { Cluster, Redis, type RedisOptions } from "ioredis";
import { env } from "./env";

/**
 * Redis connections: one Redis at REDIS_URL, or a Redis Cluster when REDIS_CLUSTER_NODES lists
 * its seed nodes (REDIS_URL then gives the user, password and TLS). Callers get the same
 * command interface either way; what must hold on a cluster (one slot per MULTI, Lua script
 * or multi-key command) is kept by the key layouts (ADR 14).
 */
export type RedisClient = Redis | Cluster;

type Holder = { client?: RedisClient };
const holder = ((globalThis as unknown as { __perigeeRedis?: Holder }).__perigeeRedis ??= {});

export const isCluster = () => env().REDIS_CLUSTER_NODES.length > 0;

function connect(opts: RedisOptions): RedisClient {
  const e = env();
  if (!isCluster()) return new Redis(e.REDIS_URL, opts);
  const u = new URL(e.REDIS_URL);
  const { keyPrefix, ...node } = opts;
  return new Cluster(e.REDIS_CLUSTER_NODES, {
    keyPrefix,
    redisOptions: {
      ...node,
      username: u.username ? decodeURIComponent(u.username) : undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      tls: u.protocol === "rediss:" ? {} : undefined,
    },
  });
}

/** Shared command connection (rate limits, short-lived auth state). Keys carry REDIS_PREFIX. */
export function redis(): RedisClient {
  holder.client ??= connect({ keyPrefix: env().REDIS_PREFIX, lazyConnect: false, maxRetriesPerRequest: 2 });
  return holder.client;
}

/** A dedicated connection for BullMQ workers, which need blocking commands without retry limits. */
export function workerConnection(extra: RedisOptions = {}): RedisClient {
  return connect({ maxRetriesPerRequest: null, ...extra });
}

/** The primaries to run a per-node command on (ACL users live on each node): the one Redis, or every cluster master. */
export async function primaries(): Promise<Redis[]> {
  const c = redis();
  if (!(c instanceof Cluster)) return [c];
  if (c.status !== "ready") await new Promise<void>((resolve, reject) => (c.once("ready", resolve), c.once("error", reject)));
  return c.nodes("master");
}

export async function closeRedis(): Promise<void> {
  const c = holder.client;
  holder.client = undefined;
  await c?.quit().catch(() => c.disconnect());
}
