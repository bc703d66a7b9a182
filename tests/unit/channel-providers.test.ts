// The channel provider registry: every provider's schema, secrets, SSRF fields, form and view
// agree, and everything derived from the registry (enum, schemas, lists) covers every provider.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelTypeEnum, type NotificationChannel } from "../../src/server/db/schema";
import { parseEnv } from "../../src/server/env";
import { channelInputSchema, channelViewSchema, MASK } from "../../src/server/notifications/channel-schema";
import { splitChannel, toChannelView } from "../../src/server/notifications/channel-config";
import { ALL_SECRET_FIELDS, CHANNEL_FORMS, CHANNEL_SECRET_FIELDS, CHANNEL_TYPES, FORM_FIELD_NAMES, PROVIDERS, providerOf } from "../../src/server/notifications/providers";
import type { ChannelProvider } from "../../src/server/notifications/providers/provider";
import { DeliveryError } from "../../src/server/notifications/http";
import { testMessage } from "../../src/server/notifications/message";
import { assertChannelTargetsAllowed } from "../../src/server/notifications/targets";
import { TEST_SECRETS } from "../helpers/test-secrets";

const providers = PROVIDERS as readonly ChannelProvider[];

// A loopback server standing in for an internal service a channel URL must never reach.
const hits: string[] = [];
const server = http.createServer((req, res) => {
  hits.push(req.url ?? "");
  res.end("ok");
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A stored row for a validated input, as createChannel writes it (secrets sealed away). */
function rowOf(input: Record<string, unknown>): NotificationChannel {
  const d = channelInputSchema.parse(input);
  const { config } = splitChannel(d);
  const at = new Date("2026-11-22T12:00:00Z");
  return {
    id: "5d0f4c7e-2b7a-4f3e-8a7c-0e1d2c3b4a59",
    organizationId: "0b6f7a0e-5c43-4b8e-9a51-6a1f0c9d2e77",
    name: "Ops",
    type: d.type,
    isDefault: false,
    config,
    secretsEnc: null,
    lastError: null,
    lastErrorAt: null,
    lastDeliveredAt: null,
    createdById: null,
    createdAt: at,
    updatedAt: at,
  };
}

describe("the registry", () => {
  it("is the one list of channel types: the database enum, the schemas and the form follow it", () => {
    expect(new Set(CHANNEL_TYPES).size).toBe(PROVIDERS.length);
    expect(channelTypeEnum.enumValues).toEqual([...CHANNEL_TYPES]);
    expect(CHANNEL_FORMS.map((f) => f.type)).toEqual([...CHANNEL_TYPES]);
    expect(Object.keys(CHANNEL_SECRET_FIELDS)).toEqual([...CHANNEL_TYPES]);
    const r = channelInputSchema.safeParse({ name: "x", type: "carrier-pigeon" });
    expect(r.error?.issues[0]?.message).toBe(`Type must be one of ${CHANNEL_TYPES.join(", ")}`);
    expect(() => providerOf("carrier-pigeon")).toThrow(/Unknown channel type/);
  });

  it("lists every secret and form field once", () => {
    expect([...ALL_SECRET_FIELDS].sort()).toEqual([...new Set(providers.flatMap((p) => [...p.secrets]))].sort());
    expect(new Set(FORM_FIELD_NAMES).size).toBe(FORM_FIELD_NAMES.length);
    for (const p of providers) for (const f of p.form) expect(FORM_FIELD_NAMES).toContain(f.name);
  });
});

describe.each(providers.map((p) => ({ type: p.type, p })))("$type", ({ p }) => {
  it("declares each of its fields in its form and its view, and its secrets and URLs among its fields", () => {
    const fields = Object.keys(p.fields);
    expect(p.form.map((f) => f.name).sort()).toEqual([...fields].sort());
    expect(fields.every((f) => f in p.view)).toBe(true);
    for (const f of [...p.secrets, ...p.urls]) expect(fields).toContain(f);
    for (const s of p.secrets) expect(p.view[s]!.schema.safeParse(MASK).success).toBe(true);
    expect(p.label).not.toBe("");
  });

  it("its example is valid input; the stored row answers a strict view with secrets masked and kept out of config", () => {
    const input = { name: "Ops", type: p.type, ...p.example };
    const d = channelInputSchema.parse(input);
    const { config, secrets } = splitChannel(d);
    for (const s of p.secrets) expect(config).not.toHaveProperty(s);
    expect(Object.keys(secrets).every((k) => (p.secrets as readonly string[]).includes(k))).toBe(true);
    const v = toChannelView(rowOf(input));
    expect(channelViewSchema.parse(v)).toEqual(v);
    for (const s of p.secrets) expect([undefined, MASK]).toContain((v as Record<string, unknown>)[s]);
    expect(JSON.stringify(v)).not.toContain(Object.values(secrets)[0] ?? "\u0000");
  });

  it("a stored field its view does not declare fails the view schema, as does another type's field", () => {
    const row = rowOf({ name: "Ops", type: p.type, ...p.example });
    const extra = toChannelView({ ...row, config: { ...row.config, notInTheView: "x" } });
    expect(channelViewSchema.safeParse(extra).success).toBe(false);
    const foreign = providers.flatMap((q) => Object.keys(q.view)).find((k) => !(k in p.view))!;
    const other = toChannelView({ ...row, config: { ...row.config, [foreign]: "x" } });
    expect(channelViewSchema.safeParse(other).error?.issues[0]).toMatchObject({ path: [foreign], message: `A ${p.type} channel has no field ${foreign}` });
  });

  it("refuses a private address in each of its URL fields at create time", () => {
    for (const field of p.urls) {
      const d = channelInputSchema.parse({ name: "Ops", type: p.type, ...p.example, [field]: "http://10.0.0.5/hook" });
      expect(() => assertChannelTargetsAllowed(d), field).toThrow(/private address/);
    }
    expect(() => assertChannelTargetsAllowed(channelInputSchema.parse({ name: "Ops", type: p.type, ...p.example }))).not.toThrow();
  });

  it("names the install's provider endpoints by their env.ts setting and default", () => {
    const defaults = parseEnv({ ...TEST_SECRETS });
    for (const s of p.apiUrls ?? []) expect(defaults[s.env], s.env).toBe(s.default);
  });
});

describe.each(providers.filter((p) => p.urls.length > 0).map((p) => ({ type: p.type, p })))("$type, sending", ({ p }) => {
  it("never connects to a private address given in its URL fields at send time (ALLOW_PRIVATE_TARGETS=false)", async () => {
    for (const host of ["127.0.0.1", "localhost"]) {
      const d = channelInputSchema.parse({ name: "Ops", type: p.type, ...p.example, ...Object.fromEntries(p.urls.map((f) => [f, `http://${host}:${port}/internal/topic1`])) });
      const { config, secrets } = splitChannel(d);
      const err = await p.send({ channel: { id: "c1", name: "Ops", type: p.type, config }, secrets, message: testMessage("Ops"), deliveryId: "d1" }).catch((e: unknown) => e);
      expect(err, host).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ retryable: false, message: expect.stringMatching(/Blocked by the SSRF guard/) });
    }
    expect(hits).toEqual([]);
  });
});
