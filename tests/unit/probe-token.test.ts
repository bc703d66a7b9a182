import { describe, expect, it } from "vitest";
import { decodeProbeToken, mintProbeToken, signBody, verifyBodySignature, verifyProbeToken } from "../../src/server/probes/token";

const now = Math.floor(Date.UTC(2026, 10, 22, 12) / 1000);
const secret = "s".repeat(43);

describe("probe token", () => {
  it("round-trips and carries the probe and region", () => {
    const d = decodeProbeToken(mintProbeToken("p-1", "eu-west", secret, now))!;
    expect(d.kid).toBe("2026-11-22");
    expect(d.claims).toMatchObject({ sub: "p-1", region: "eu-west", iat: now, exp: now + 86_400 });
    expect(verifyProbeToken(d, secret, now)).toBeNull();
  });
  it("refuses another secret, tampering, expiry and keys older than yesterday", () => {
    const t = mintProbeToken("p-1", "eu-west", secret, now);
    expect(verifyProbeToken(decodeProbeToken(t)!, "x".repeat(43), now)).toBe("bad_signature");
    const [h, p, s] = t.split(".");
    const forged = JSON.parse(Buffer.from(p!, "base64url").toString());
    forged.region = "us-east";
    expect(verifyProbeToken(decodeProbeToken(`${h}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${s}`)!, secret, now)).toBe("bad_signature");
    expect(verifyProbeToken(decodeProbeToken(mintProbeToken("p-1", "eu-west", secret, now - 86_400 - 10))!, secret, now)).toBe("expired");
    expect(verifyProbeToken(decodeProbeToken(mintProbeToken("p-1", "eu-west", secret, now - 2 * 86_400))!, secret, now)).toBe("stale_key");
    expect(verifyProbeToken(decodeProbeToken(mintProbeToken("p-1", "eu-west", secret, now + 3600))!, secret, now)).toBe("bad_claims");
    expect(decodeProbeToken("garbage")).toBeNull();
    expect(decodeProbeToken("a.b.c")).toBeNull();
  });
  it("binds the body with a timestamped signature", () => {
    const ts = String(now);
    const sig = signBody(secret, "2026-11-22", ts, '{"a":1}');
    expect(verifyBodySignature(secret, "2026-11-22", ts, sig, '{"a":1}', now)).toBeNull();
    expect(verifyBodySignature(secret, "2026-11-22", ts, sig, '{"a":2}', now)).toBe("mismatch");
    expect(verifyBodySignature(secret, "2026-11-22", String(now - 301), signBody(secret, "2026-11-22", String(now - 301), "x"), "x", now)).toBe("skew");
    expect(verifyBodySignature(secret, "2026-11-22", null, null, "x", now)).toBe("missing");
  });
});
