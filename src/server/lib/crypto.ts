import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { env } from "../env";

/** Random URL-safe token. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Keyed hash for stored tokens (sessions, resets, invitations, recovery codes). */
export function hashToken(token: string): string {
  return createHmac("sha256", env().AUTH_SECRET).update(token).digest("hex");
}

function keyring(): Map<string, Buffer> {
  const e = env();
  const ring = new Map<string, Buffer>([[e.ENCRYPTION_KEY_ID, Buffer.from(e.ENCRYPTION_KEY, "base64")]]);
  for (const part of e.ENCRYPTION_KEYS_RETIRED.split(",").filter(Boolean)) {
    const [id, b64] = part.split(":");
    if (id && b64) ring.set(id.trim(), Buffer.from(b64.trim(), "base64"));
  }
  return ring;
}

/**
 * AES-256-GCM. Output "v1.<keyId>.<iv>.<tag>.<ciphertext>" (base64url parts), so the key
 * that sealed a value is known when keys rotate. `aad` binds the ciphertext to its owner
 * (e.g. "user:<id>:totp"): copied to another row it will not decrypt.
 */
export function encrypt(plaintext: string, aad: string): string {
  const e = env();
  const key = Buffer.from(e.ENCRYPTION_KEY, "base64");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", e.ENCRYPTION_KEY_ID, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function decrypt(envelope: string, aad: string): string {
  const [v, keyId, iv, tag, ct] = envelope.split(".");
  if (v !== "v1" || !keyId || !iv || !tag || ct === undefined) throw new Error("Malformed ciphertext envelope");
  const key = keyring().get(keyId);
  if (!key) throw new Error(`Unknown encryption key id "${keyId}"`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
