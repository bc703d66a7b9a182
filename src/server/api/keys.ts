import { createHash, randomBytes } from "node:crypto";

/**
 * API key format: "pk_live_" + 32 random bytes in base62 (43 characters) + a 6-character
 * base62 checksum (CRC-32 of the body). Secret scanners can recognise the prefix, and the
 * server refuses a mistyped or made-up key before touching the database.
 */
export const KEY_PREFIX = "pk_live_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LEN = 43;
const CHECK_LEN = 6;
const KEY_RE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LEN + CHECK_LEN}}$`);

function base62(buf: Buffer, width: number): string {
  let n = BigInt(`0x${buf.toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(width, "0");
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32(s: string): number {
  let c = 0xffffffff;
  for (const b of Buffer.from(s)) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const checksumOf = (body: string) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(body));
  return base62(b, CHECK_LEN);
};

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const body = base62(randomBytes(32), BODY_LEN);
  const key = `${KEY_PREFIX}${body}${checksumOf(body)}`;
  return { key, prefix: displayPrefix(key), hash: hashApiKey(key) };
}

/** True when the string has the key format and its checksum matches: no database needed. */
export function isWellFormedKey(key: string): boolean {
  if (!KEY_RE.test(key)) return false;
  const rest = key.slice(KEY_PREFIX.length);
  return checksumOf(rest.slice(0, BODY_LEN)) === rest.slice(BODY_LEN);
}

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");
export const displayPrefix = (key: string) => key.slice(0, KEY_PREFIX.length + 6);
