import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32, displayPrefix, generateApiKey, hashApiKey, isWellFormedKey, KEY_PREFIX } from "../../src/server/api/keys";
import { scopesAllowedFor } from "../../src/server/auth/scopes";

describe("API key format", () => {
  it("is pk_live_ + 43 base62 characters + a 6-character checksum, hashed with SHA-256", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^pk_live_[0-9A-Za-z]{49}$/);
    expect(prefix).toBe(key.slice(0, 14));
    expect(displayPrefix(key)).toBe(prefix);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(isWellFormedKey(key)).toBe(true);
    expect(new Set(Array.from({ length: 200 }, () => generateApiKey().key)).size).toBe(200);
  });
  it("rejects every single-character change, truncation and foreign prefix without a lookup", () => {
    const { key } = generateApiKey();
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let caught = 0;
    let tried = 0;
    for (let i = KEY_PREFIX.length; i < key.length; i++) {
      for (const c of ["0", "z", "Q"]) {
        if (key[i] === c) continue;
        tried++;
        const typo = key.slice(0, i) + c + key.slice(i + 1);
        if (!isWellFormedKey(typo)) caught++;
      }
    }
    expect(caught).toBe(tried); // CRC-32 catches every single-character error
    for (const bad of [key.slice(0, -1), `${key}x`, key.replace("pk_live_", "pk_test_"), "", "Bearer", `pk_live_${"a".repeat(49)}`]) expect(isWellFormedKey(bad)).toBe(false);
    // Random strings of the right shape almost never pass (1 in ~4·10⁹).
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...alphabet.split("")), minLength: 49, maxLength: 49 }), (s) => !isWellFormedKey(`${KEY_PREFIX}${s}`)),
      { numRuns: 2000 },
    );
  });
  it("CRC-32 matches the reference value", () => {
    expect(crc32("123456789").toString(16)).toBe("cbf43926");
  });
  it("a role grants only the scopes it may hold", () => {
    expect(scopesAllowedFor("VIEWER")).toEqual(["monitors:read", "events:read", "channels:read", "status-pages:read"]);
    expect(scopesAllowedFor("EDITOR")).not.toContain("account:export");
    expect(scopesAllowedFor("ADMIN")).toHaveLength(8);
  });
});
