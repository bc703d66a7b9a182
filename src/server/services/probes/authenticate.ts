import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { probes, type probes as ProbesTable } from "../../db/schema";
import { Unauthorized } from "../../errors";
import { decrypt } from "../../lib/crypto";
import { decodeProbeToken, verifyBodySignature, verifyProbeToken } from "../../probes/token";
import { probeSecretAad } from "./create-probe";

export type AuthedProbe = typeof ProbesTable.$inferSelect & { secret: string; kid: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MESSAGES = {
  missing: "Missing probe token: send Authorization: Bearer <JWT>.",
  bad_signature: "The probe token's signature is invalid.",
  expired: "The probe token has expired; mint a new one.",
  stale_key: "The probe token was signed with a key older than yesterday; mint a new one.",
  bad_claims: "The probe token's claims are not acceptable (issued in the future, or valid for more than 24 hours).",
  unknown: "Unknown or revoked probe.",
  wrong_region: "The token's region does not match the probe's region.",
  body_missing: "Missing request signature: send X-Perigee-Timestamp and X-Perigee-Signature.",
  body_skew: "The request timestamp is more than 5 minutes away from the server's clock.",
  body_mismatch: "The request signature does not match the body.",
} as const;

/** Verifies token and body signature; every failure is a 401 with a specific reason. */
export async function authenticateProbe({
  headers: h,
  rawBody,
  nowSeconds = Math.floor(Date.now() / 1000),
}: {
  headers: { authorization: string | null; timestamp: string | null; signature: string | null };
  rawBody: string;
  nowSeconds?: number;
}): Promise<AuthedProbe> {
  const token = /^Bearer (.+)$/.exec(h.authorization ?? "")?.[1];
  if (!token) throw new Unauthorized(MESSAGES.missing);
  const decoded = decodeProbeToken(token);
  if (!decoded) throw new Unauthorized(MESSAGES.bad_signature);
  if (!UUID.test(decoded.claims.sub)) throw new Unauthorized(MESSAGES.unknown);
  const [p] = await db().select().from(probes).where(eq(probes.id, decoded.claims.sub)).limit(1);
  if (!p || p.revokedAt) throw new Unauthorized(MESSAGES.unknown);
  const secret = decrypt(p.secretEnc, probeSecretAad(p.id));
  const failure = verifyProbeToken(decoded, secret, nowSeconds);
  if (failure) throw new Unauthorized(MESSAGES[failure]);
  if (decoded.claims.region !== p.region) throw new Unauthorized(MESSAGES.wrong_region);
  const body = verifyBodySignature(secret, decoded.kid, h.timestamp, h.signature, rawBody, nowSeconds);
  if (body) throw new Unauthorized(MESSAGES[`body_${body}`]);
  if (!p.lastSeenAt || Date.now() - p.lastSeenAt.getTime() > 60_000) {
    await db().update(probes).set({ lastSeenAt: new Date() }).where(eq(probes.id, p.id));
  }
  return { ...p, secret, kid: decoded.kid };
}
