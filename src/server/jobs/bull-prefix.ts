/**
 * Where a BullMQ queue's keys live. One Redis: `<REDIS_PREFIX>bull:<queue>:…`, as always. A
 * Redis Cluster: BullMQ's Lua scripts touch many keys of a queue at once, so they must share a
 * slot; the prefix carries the queue's own hash tag, `<REDIS_PREFIX>bull:{<queue>}`, so each
 * queue (each region's checks, notifications, maintenance) can sit on a different primary
 * (BullMQ's Redis Cluster pattern; ADR 14). Pure, so the probe and its ACL rules share it.
 */
export function bullKeyPrefix(redisPrefix: string, queue: string, cluster: boolean): string {
  return cluster ? `${redisPrefix}bull:{${queue}}` : `${redisPrefix}bull`;
}
