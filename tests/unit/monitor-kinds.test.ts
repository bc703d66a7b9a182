import { describe, expect, it } from "vitest";
import { monitorTypeEnum } from "../../src/server/db/schema";
import { KINDS, MONITOR_TYPES, labelOf, targetOf } from "../../src/server/monitors/kinds";
import { monitorInputSchema, monitorViewSchema } from "../../src/server/monitors/schema";

describe("the monitor kinds registry", () => {
  it("the pg enum and the type list are the registry's types, in order", () => {
    expect(monitorTypeEnum.enumValues).toEqual(KINDS.map((k) => k.type));
    expect(MONITOR_TYPES).toEqual(KINDS.map((k) => k.type));
    expect(new Set(MONITOR_TYPES).size).toBe(MONITOR_TYPES.length);
  });

  it.each(KINDS.map((k) => [k.type, k] as const))("%s: form fields, secrets and view fields agree with its schema", (_type, k) => {
    const fields = Object.keys(k.fields);
    for (const f of k.form.fields) expect(fields, f.name).toContain(f.name);
    for (const f of k.form.fields) if (f.when) expect(fields, `${f.name} depends on ${f.when.field}`).toContain(f.when.field);
    for (const s of k.secretFields) expect(fields, s).toContain(s);
    // A secret is never viewed, except masked (e.g. the HTTP body, so the form shows that one is set).
    for (const s of k.secretFields) if (s in k.view) expect((k.view as Record<string, { description?: string }>)[s]?.description, `secret ${s} is viewed only masked`).toMatch(/masked/);
    for (const v of Object.keys(k.view)) expect(Object.keys(monitorViewSchema.shape), v).toContain(v);
    expect(k.form.testable).toBe(Boolean(k.check));
    expect(labelOf(k.type)).toBe(k.label);
  });

  it("the view schema is strict: a field not declared by a kind fails", () => {
    const view = {
      id: "00000000-0000-4000-8000-000000000000",
      name: "x",
      type: "tcp",
      host: "h",
      port: 1,
      intervalSeconds: 60,
      timeoutMs: 1000,
      confirmations: 1,
      recoveries: 1,
      regions: ["default"],
      quorum: null,
      paused: false,
      channelIds: null,
      reminderIntervalMinutes: null,
      reminderMax: 3,
      recoveryDelaySeconds: 0,
      state: "UP",
      stateChangedAt: "t",
      lastCheckedAt: null,
      certExpiresAt: null,
      createdAt: "t",
      updatedAt: "t",
    };
    expect(monitorViewSchema.safeParse(view).success).toBe(true);
    expect(monitorViewSchema.safeParse({ ...view, surprise: 1 }).success).toBe(false);
  });

  it("the input is a union on type, with the unknown-type message naming every type", () => {
    const r = monitorInputSchema.safeParse({ name: "x", type: "ftp" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["type"], message: `Type must be one of ${MONITOR_TYPES.join(", ")}` });
  });

  it("one target label per kind, from stored config, view or executable config alike", () => {
    expect(targetOf("http", { url: "https://user:pw@example.com:8443/health?token=abc#x" })).toBe("https://example.com:8443/health");
    expect(targetOf("tcp", { host: "db.example.com", port: 5432 })).toBe("db.example.com:5432");
    expect(targetOf("tcp", { host: "2001:db8::1", port: 22 })).toBe("[2001:db8::1]:22");
    expect(targetOf("ssl", { host: "example.com" })).toBe("example.com:443");
    expect(targetOf("dns", { hostname: "example.com", recordType: "MX" })).toBe("example.com MX");
    expect(targetOf("heartbeat", { graceSeconds: 60 })).toBeNull();
    expect(targetOf("nope", {})).toBeNull();
  });
});
