import { describe, expect, it } from "vitest";
import { parseEnv } from "../../src/server/env";
import { bullKeyPrefix } from "../../src/server/jobs/bull-prefix";
import { probeAclRules } from "../../src/server/probes/redis-acl";
import { TEST_SECRETS } from "../helpers/test-secrets";

describe("BullMQ key layout", () => {
  it("keeps the single-Redis layout, and gives each queue its own hash tag on a cluster", () => {
    expect(bullKeyPrefix("perigee:", "checks-eu", false)).toBe("perigee:bull");
    expect(bullKeyPrefix("perigee:", "checks-eu", true)).toBe("perigee:bull:{checks-eu}");
    expect(bullKeyPrefix("perigee:", "notifications", true)).not.toBe(bullKeyPrefix("perigee:", "maintenance", true));
  });

  it("gives a probe its region's queue keys in either layout", () => {
    const rules = (cluster: boolean) => probeAclRules({ prefix: "p*:", region: "eu", password: "x", cluster });
    expect(rules(false)).toContain("~p\\*:bull:checks-eu:*");
    expect(rules(true)).toContain("~p\\*:bull:{checks-eu}:checks-eu:*");
  });
});

describe("scale settings", () => {
  it("reads cluster seed nodes and the pooler mode", () => {
    const e = parseEnv({ ...TEST_SECRETS, REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b:7001", DATABASE_POOLER: "pgbouncer-transaction" });
    expect(e.REDIS_CLUSTER_NODES).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-b", port: 7001 },
    ]);
    expect(e.DATABASE_POOLER).toBe("pgbouncer-transaction");
    expect(parseEnv({ ...TEST_SECRETS }).REDIS_CLUSTER_NODES).toEqual([]);
    expect(() => parseEnv({ ...TEST_SECRETS, REDIS_CLUSTER_NODES: "nohost" })).toThrow(/REDIS_CLUSTER_NODES/);
  });
});
