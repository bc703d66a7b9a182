/**
 * What a probe may do in Redis: take and finish the check jobs of its own region's BullMQ
 * queue, and hold the per-monitor check lock of its region — nothing else. Each probe has its
 * own ACL user; these are the rules given to ACL SETUSER (ADR 5).
 */

import { bullKeyPrefix } from "../jobs/bull-prefix";

export const probeRedisUser = (probeId: string) => `perigee-probe-${probeId}`;

/**
 * The commands BullMQ's worker sends and its Lua scripts call (scripts run with the caller's
 * ACL, so their keys are checked too), plus the lock's SET/GET/EVAL. Nothing that reaches
 * beyond keys (FLUSHALL, CONFIG, ACL, KEYS, SCAN, FUNCTION, MONITOR…) and no pub/sub channel.
 */
export const PROBE_COMMANDS = [
  // connection and BullMQ's start-up checks
  "auth",
  "hello",
  "ping",
  "select",
  "quit",
  "info",
  "client|setname",
  "client|getname",
  "client|id",
  "client|info",
  "time",
  "acl|whoami",
  // scripts (EVALSHA with an EVAL fallback; SCRIPT LOAD to cache them)
  "eval",
  "evalsha",
  "script|load",
  "script|exists",
  // blocking wait for the next job
  "bzpopmin",
  // what BullMQ's worker-side scripts call
  "exists",
  "type",
  "get",
  "set",
  "del",
  "unlink",
  "incr",
  "incrby",
  "rename",
  "persist",
  "pexpire",
  "pexpireat",
  "pttl",
  "hget",
  "hset",
  "hmset",
  "hmget",
  "hgetall",
  "hdel",
  "hexists",
  "hincrby",
  "hlen",
  "lpush",
  "rpush",
  "lpop",
  "rpop",
  "rpoplpush",
  "lrem",
  "llen",
  "lrange",
  "lindex",
  "lset",
  "ltrim",
  "lpos",
  "sadd",
  "srem",
  "scard",
  "smembers",
  "sismember",
  "zadd",
  "zrem",
  "zscore",
  "zcard",
  "zcount",
  "zrange",
  "zrangebyscore",
  "zrevrange",
  "zrevrangebyscore",
  "zrangebylex",
  "zlexcount",
  "zremrangebyscore",
  "zremrangebyrank",
  "zpopmin",
  "xadd",
  "xtrim",
  "xlen",
  "xrange",
  "xdel",
] as const;

// Key patterns are globs: escape what a prefix could contain that glob would read.
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * ACL SETUSER arguments (after the user name). `reset` first, so re-asserting is idempotent.
 * `cluster`: the queue's keys carry its hash tag (jobs/bull-prefix.ts).
 */
export function probeAclRules({ prefix, region, password, cluster = false }: { prefix: string; region: string; password: string; cluster?: boolean }): string[] {
  if (!/^[a-z0-9-]{1,32}$/.test(region)) throw new Error(`invalid region ${region}`);
  const p = globEscape(prefix);
  const queue = `checks-${region}`;
  const queueKeys = `${globEscape(bullKeyPrefix(prefix, queue, cluster))}:${queue}:*`;
  return ["reset", "on", `>${password}`, `~${queueKeys}`, `~${p}lock:check:*:${region}`, "resetchannels", "-@all", ...PROBE_COMMANDS.map((c) => `+${c}`)];
}
