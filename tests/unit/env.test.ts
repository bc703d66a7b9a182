import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../src/server/env";

const good = { AUTH_SECRET: "x".repeat(20) + "abcdefghijklmnop", ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") };

function issues(src: Record<string, string>): string[] {
  try {
    parseEnv(src);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as EnvError).issues;
  }
}

describe("parseEnv", () => {
  it("applies defaults for services and port", () => {
    const e = parseEnv(good);
    expect(e.DATABASE_URL).toBe("postgres://postgres@127.0.0.1:5432/perigee");
    expect(e.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(e.PORT).toBe(3000);
    expect(e.APP_URL).toBe("http://localhost:3000");
  });

  it("derives APP_URL from PORT and treats empty values as unset", () => {
    expect(parseEnv({ ...good, PORT: "4100", APP_URL: "" }).APP_URL).toBe("http://localhost:4100");
  });

  it("names a missing secret", () => {
    const i = issues({ ENCRYPTION_KEY: good.ENCRYPTION_KEY });
    expect(i.join("\n")).toMatch(/AUTH_SECRET/);
  });

  it("refuses a short or placeholder secret", () => {
    expect(issues({ ...good, AUTH_SECRET: "short" }).join()).toMatch(/AUTH_SECRET must be at least 32 characters/);
    expect(issues({ ...good, AUTH_SECRET: "a".repeat(40) }).join()).toMatch(/AUTH_SECRET is a placeholder or too weak/);
  });

  it("refuses an encryption key that is not 32 bytes", () => {
    expect(issues({ ...good, ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") }).join()).toMatch(/ENCRYPTION_KEY must be 32 bytes/);
  });

  it("refuses a bcrypt cost under 12 and a bad port", () => {
    expect(issues({ ...good, BCRYPT_COST: "10" }).join()).toMatch(/BCRYPT_COST must be at least 12/);
    expect(issues({ ...good, PORT: "70000" }).join()).toMatch(/PORT/);
  });
});
