import type { RequestMeta } from "../../context";
import { Conflict, NotFound, RateLimited } from "../../errors";
import { recordPing } from "../../monitors/heartbeat";
import { redis } from "../../redis";

/**
 * Anyone can make up heartbeat URLs, and each unknown token costs database queries, so one
 * address gets this many unknown tokens a minute (like unknown API keys) before it is told
 * to slow down — without a database query — until the minute ends.
 */
export const UNKNOWN_HEARTBEATS_PER_IP_PER_MINUTE = 30;
const unknownKey = (ip: string, window: number) => `hb:unknown:${ip}:${window}`;

/** A customer's job called its secret heartbeat URL. */
export async function receivePing({ token, meta }: { token: string; meta: RequestMeta }): Promise<{ monitor: string; state: string }> {
  const window = Math.floor(Date.now() / 60_000);
  const key = unknownKey(meta.ip ?? "unknown", window);
  if (Number((await redis().get(key)) ?? 0) >= UNKNOWN_HEARTBEATS_PER_IP_PER_MINUTE) {
    const retry = 60 - Math.floor((Date.now() / 1000) % 60);
    throw new RateLimited(`Too many unknown heartbeat URLs from this address. Retry after ${retry} s.`, retry);
  }
  const r = await recordPing(token);
  if (r.ok) return { monitor: r.monitor, state: r.state };
  if (r.reason === "paused") throw new Conflict("This heartbeat monitor is paused; the ping was ignored.");
  await redis().multi().incr(key).expire(key, 61, "NX").exec();
  throw new NotFound("Unknown heartbeat URL.");
}
