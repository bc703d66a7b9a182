import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env";

type Holder = { client?: Redis };
const holder = ((globalThis as unknown as { __perigeeRedis?: Holder }).__perigeeRedis ??= {});

/** Shared command connection (rate limits, short-lived auth state). Keys carry REDIS_PREFIX. */
export function redis(): Redis {
  holder.client ??= new Redis(env().REDIS_URL, { keyPrefix: env().REDIS_PREFIX, lazyConnect: false, maxRetriesPerRequest: 2 });
  return holder.client;
}

/** A dedicated connection for BullMQ workers, which need blocking commands without retry limits. */
export function workerConnection(extra: RedisOptions = {}): Redis {
  return new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, ...extra });
}

export async function closeRedis(): Promise<void> {
  const c = holder.client;
  holder.client = undefined;
  await c?.quit().catch(() => c.disconnect());
}
