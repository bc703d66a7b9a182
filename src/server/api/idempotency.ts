import { createHash } from "node:crypto";
import { decrypt, encrypt } from "../lib/crypto";
import { redis } from "../redis";
import { verifiedValue, withMac } from "../auth/redis-mac";

/**
 * Idempotency-Key on POST: the first request's answer is kept for 24 h and replayed for a
 * retry with the same key and the same request; the same key with a different request is
 * refused, and a retry while the first is still running is told to wait.
 */
const TTL_SECONDS = 24 * 3600;
// The kept answer may hold a secret shown once (a webhook's signing secret, a heartbeat URL):
// it is sealed (AES-256-GCM, bound to the key and the Idempotency-Key) while it sits in Redis.
// The whole entry (state, fingerprint, status) also carries a MAC over its key name, so a
// Redis writer can neither plant an answer nor move one to another key (auth/redis-mac.ts).
const aadOf = (apiKeyId: string, idemKey: string) => `idempotency:${apiKeyId}:${idemKey}`;
const LOCK_SECONDS = 60;

export type Stored = { state: "done"; fingerprint: string; status: number; sealed: string } | { state: "running"; fingerprint: string };
export type Begin = { kind: "new" } | { kind: "replay"; status: number; body: string; location: string | null } | { kind: "mismatch" } | { kind: "running" };

const keyOf = (apiKeyId: string, idemKey: string) => `api:idem:${apiKeyId}:${createHash("sha256").update(idemKey).digest("hex")}`;
export const fingerprintOf = (method: string, route: string, body: string) => createHash("sha256").update(`${method} ${route}\n${body}`).digest("hex");

export async function beginIdempotent(apiKeyId: string, idemKey: string, fingerprint: string): Promise<Begin> {
  const k = keyOf(apiKeyId, idemKey);
  const claimed = await redis().set(k, withMac(k, JSON.stringify({ state: "running", fingerprint } satisfies Stored)), "EX", LOCK_SECONDS, "NX");
  if (claimed) return { kind: "new" };
  const raw = await redis().get(k);
  if (!raw) return beginIdempotent(apiKeyId, idemKey, fingerprint);
  const value = verifiedValue(k, raw);
  if (value === null) {
    // Not ours (planted, or kept before entries were MAC'd): drop exactly that entry, claim again.
    await redis().eval(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`, 1, k, raw);
    return beginIdempotent(apiKeyId, idemKey, fingerprint);
  }
  const s = JSON.parse(value) as Stored;
  if (s.fingerprint !== fingerprint) return { kind: "mismatch" };
  if (s.state === "running") return { kind: "running" };
  const { body, location } = JSON.parse(decrypt(s.sealed, aadOf(apiKeyId, idemKey))) as { body: string; location: string | null };
  return { kind: "replay", status: s.status, body, location };
}

export async function finishIdempotent(apiKeyId: string, idemKey: string, fingerprint: string, status: number, body: string, location: string | null = null): Promise<void> {
  const k = keyOf(apiKeyId, idemKey);
  // A server error is not an answer to keep: the client may retry it for real.
  if (status >= 500) await redis().del(k);
  else
    await redis().set(
      k,
      withMac(k, JSON.stringify({ state: "done", fingerprint, status, sealed: encrypt(JSON.stringify({ body, location }), aadOf(apiKeyId, idemKey)) } satisfies Stored)),
      "EX",
      TTL_SECONDS,
    );
}
