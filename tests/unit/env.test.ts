import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, loadEnvFiles, parseEnv, parseProbeEnv } from "../../src/server/env";

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

describe("loadEnvFiles", () => {
  function withFiles(files: Record<string, string>, fn: (dir: string) => void) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "perigee-env-"));
    try {
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), text);
      }
      fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const local = `AUTH_SECRET=${good.AUTH_SECRET}\nENCRYPTION_KEY=${good.ENCRYPTION_KEY}\n`;

  it("an empty value in .env (as in .env.example) does not hide the generated secrets", () =>
    withFiles({ ".env": "# secrets\nAUTH_SECRET=\nENCRYPTION_KEY=''\nPORT=4100\n", ".perigee/local.env": local }, (dir) => {
      const target: Record<string, string | undefined> = {};
      loadEnvFiles(dir, target);
      expect(target).toEqual({ AUTH_SECRET: good.AUTH_SECRET, ENCRYPTION_KEY: good.ENCRYPTION_KEY, PORT: "4100" });
      expect(parseEnv(target).AUTH_SECRET).toBe(good.AUTH_SECRET);
    }));

  it("an empty variable in the environment counts as unset; a set one wins over every file", () =>
    withFiles({ ".env": "PORT=4100\nLOG_LEVEL=debug\n", ".perigee/local.env": local }, (dir) => {
      const target: Record<string, string | undefined> = { AUTH_SECRET: "", PORT: "", LOG_LEVEL: "warn" };
      loadEnvFiles(dir, target);
      expect(target).toMatchObject({ AUTH_SECRET: good.AUTH_SECRET, PORT: "4100", LOG_LEVEL: "warn" });
    }));

  it("production never reads the generated secrets", () =>
    withFiles({ ".env": "NODE_ENV=production\nAUTH_SECRET=\n", ".perigee/local.env": local }, (dir) => {
      const target: Record<string, string | undefined> = {};
      loadEnvFiles(dir, target);
      expect(target).toEqual({ NODE_ENV: "production" });
      expect(issues(target as Record<string, string>).join()).toMatch(/AUTH_SECRET is required/);
    }));
});

describe("parseProbeEnv", () => {
  it("names a missing probe identity, and shares the worker's defaults", () => {
    expect(() => parseProbeEnv({ PROBE_ID: "p1" })).toThrow(/PROBE_SECRET is required/);
    const e = parseProbeEnv({ PROBE_ID: "p1", PROBE_SECRET: "s", PERIGEE_URL: "https://perigee.example.com/", CHECK_CONCURRENCY: "" });
    expect(e.PERIGEE_URL).toBe("https://perigee.example.com");
    expect(e.CHECK_CONCURRENCY).toBe(parseEnv(good).CHECK_CONCURRENCY);
    expect(e.ALLOW_PRIVATE_TARGETS).toBe(false);
  });

  it("refuses an http:// PERIGEE_URL unless PROBE_INSECURE=true (the configs it fetches carry credentials)", () => {
    const id = { PROBE_ID: "p1", PROBE_SECRET: "s" };
    for (const url of [undefined, "http://perigee.example.com"]) {
      expect(() => parseProbeEnv({ ...id, PERIGEE_URL: url })).toThrow(/PERIGEE_URL: must be an https:\/\/ URL.*PROBE_INSECURE=true/);
    }
    expect(() => parseProbeEnv({ ...id, PERIGEE_URL: "http://perigee.example.com", PROBE_INSECURE: "false" })).toThrow(/PROBE_INSECURE/);
    expect(parseProbeEnv({ ...id, PERIGEE_URL: "http://127.0.0.1:3000/", PROBE_INSECURE: "true" })).toMatchObject({ PERIGEE_URL: "http://127.0.0.1:3000", PROBE_INSECURE: true });
    expect(parseProbeEnv({ ...id, PERIGEE_URL: "https://perigee.example.com" }).PROBE_INSECURE).toBe(false);
  });
});
