import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Probe ↔ web authentication, shared by both sides (no database here).
 * A probe mints its own HS256 JWT (≤ 24 h) whose key is derived from its secret and the UTC
 * day in `kid`, so the effective signing key rotates daily; each request body is also signed
 * with that key over "timestamp.body", binding the token to this exact request.
 */
export type ProbeClaims = { sub: string; region: string; iat: number; exp: number; jti: string };

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");
export const dayOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

export function derivedKey(secret: string, kid: string): Buffer {
  return createHmac("sha256", secret).update(`perigee-probe-jwt:${kid}`).digest();
}

export function mintProbeToken(probeId: string, region: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000), ttlSeconds = 86_400): string {
  const kid = dayOf(nowSeconds);
  const header = b64(JSON.stringify({ alg: "HS256", typ: "JWT", kid }));
  const payload = b64(JSON.stringify({ sub: probeId, region, iat: nowSeconds, exp: nowSeconds + Math.min(ttlSeconds, 86_400), jti: randomBytes(12).toString("base64url") } satisfies ProbeClaims));
  const sig = b64(createHmac("sha256", derivedKey(secret, kid)).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${sig}`;
}

export function signBody(secret: string, kid: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", derivedKey(secret, kid)).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type DecodedToken = { kid: string; claims: ProbeClaims; signingInput: string; signature: Buffer };

/** Parses without trusting; returns null for anything malformed. */
export function decodeProbeToken(token: string): DecodedToken | null {
  const parts = token.split(".");
  if (parts.length !== 3 || token.length > 2048) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as { alg?: string; kid?: string };
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as ProbeClaims;
    if (header.alg !== "HS256" || typeof header.kid !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(header.kid)) return null;
    if (typeof claims.sub !== "string" || typeof claims.region !== "string" || typeof claims.iat !== "number" || typeof claims.exp !== "number") return null;
    return { kid: header.kid, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, "base64url") };
  } catch {
    return null;
  }
}

export type VerifyFailure = "bad_signature" | "expired" | "stale_key" | "bad_claims";

/** Checks signature, daily key window (today or yesterday), expiry and lifetime. */
export function verifyProbeToken(d: DecodedToken, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): VerifyFailure | null {
  const today = dayOf(nowSeconds);
  const yesterday = dayOf(nowSeconds - 86_400);
  if (d.kid !== today && d.kid !== yesterday) return "stale_key";
  const expected = createHmac("sha256", derivedKey(secret, d.kid)).update(d.signingInput).digest();
  if (expected.length !== d.signature.length || !timingSafeEqual(expected, d.signature)) return "bad_signature";
  if (d.claims.iat > nowSeconds + 60 || d.claims.exp - d.claims.iat > 86_400 || dayOf(d.claims.iat) !== d.kid) return "bad_claims";
  if (d.claims.exp <= nowSeconds) return "expired";
  return null;
}

export function verifyBodySignature(
  secret: string,
  kid: string,
  timestamp: string | null,
  signature: string | null,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): "missing" | "skew" | "mismatch" | null {
  if (!timestamp || !signature || !/^\d{9,11}$/.test(timestamp)) return "missing";
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return "skew";
  const expected = Buffer.from(signBody(secret, kid, timestamp, body));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got) ? null : "mismatch";
}
