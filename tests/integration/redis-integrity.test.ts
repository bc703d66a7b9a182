import { createHash } from "node:crypto";
import { generate } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey } from "../../src/server/api/keys";
import { fingerprintOf } from "../../src/server/api/idempotency";
import { createSession } from "../../src/server/auth/session";
import { throttleKeys } from "../../src/server/auth/throttle";
import { db } from "../../src/server/db/client";
import { Unauthorized } from "../../src/server/errors";
import { hashToken, randomToken } from "../../src/server/lib/crypto";
import { redis } from "../../src/server/redis";
import { completeTwoFactorSignIn } from "../../src/server/services/auth/complete-two-factor-sign-in";
import { signIn } from "../../src/server/services/auth/sign-in";
import { confirmTwoFactor } from "../../src/server/services/auth/confirm-two-factor";
import { startTwoFactorEnrollment } from "../../src/server/services/auth/start-two-factor-enrollment";
import { api, apiTenant } from "../helpers/api";
import { TEST_PASSWORD, createUser, meta } from "../helpers/factories";

/**
 * Whoever can write Redis (a probe's host, before probes had their own ACL user) must not be
 * able to mint access: every entry that grants something carries a MAC keyed from AUTH_SECRET.
 */
let t: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  t = await apiTenant("Integrity");
});

const resolutionFor = (scopes: string[]) => ({
  id: "00000000-0000-4000-8000-000000000001",
  organizationId: t.org.id,
  slug: t.org.slug,
  orgName: t.org.name,
  scopes,
  expiresAt: null,
  userId: t.ctx.ADMIN.actor.userId,
  email: t.ctx.ADMIN.actor.email,
  role: "ADMIN",
});

describe("API key resolutions in Redis", () => {
  it("a planted resolution for a made-up well-formed key is ignored: 401", async () => {
    const forged = generateApiKey().key;
    await redis().set(`api:auth:${hashApiKey(forged)}`, JSON.stringify(resolutionFor(["monitors:read", "monitors:write"])), "EX", 60);
    const r = await api("GET", "/api/v1/monitors", { key: forged });
    expect(r.status).toBe(401);
    expect((r.body as { error: { message: string } }).error.message).toMatch(/unknown/);
  });

  it("a planted resolution with a made-up MAC is ignored too", async () => {
    const forged = generateApiKey().key;
    await redis().set(`api:auth:${hashApiKey(forged)}`, `m1.${"A".repeat(43)}.${JSON.stringify(resolutionFor(["monitors:read"]))}`, "EX", 60);
    expect((await api("GET", "/api/v1/monitors", { key: forged })).status).toBe(401);
  });

  it("a genuine cached resolution moved to another key's entry does not work there", async () => {
    const real = await t.key(["monitors:read"]);
    expect((await api("GET", "/api/v1/monitors", { key: real.key })).status).toBe(200);
    const genuine = await redis().get(`api:auth:${hashApiKey(real.key)}`);
    expect(genuine).toMatch(/^m1\./);
    const forged = generateApiKey().key;
    await redis().set(`api:auth:${hashApiKey(forged)}`, genuine!, "EX", 60);
    expect((await api("GET", "/api/v1/monitors", { key: forged })).status).toBe(401);
    // The genuine entry keeps working where it belongs.
    expect((await api("GET", "/api/v1/monitors", { key: real.key })).status).toBe(200);
  });
});

describe("idempotent answers in Redis", () => {
  it("a planted answer is not replayed: the request runs for real", async () => {
    const { key, id } = await t.key(["monitors:read", "monitors:write"]);
    const idem = `plant-${randomToken(6)}`;
    const body = { name: "Real", type: "tcp", host: "127.0.0.1", port: 9, paused: true };
    const raw = JSON.stringify(body);
    const planted = { state: "done", fingerprint: fingerprintOf("POST", "/api/v1/monitors", raw), status: 201, body: JSON.stringify({ id: "planted", name: "Planted" }) };
    await redis().set(`api:idem:${id}:${createHash("sha256").update(idem).digest("hex")}`, JSON.stringify(planted), "EX", 600);
    const r = await api("POST", "/api/v1/monitors", { key, rawBody: raw, headers: { "idempotency-key": idem } });
    expect(r.status).toBe(201);
    expect(r.headers.get("idempotent-replayed")).toBeNull();
    expect((r.body as { name: string }).name).toBe("Real");
    // And the genuine answer now replays.
    const again = await api("POST", "/api/v1/monitors", { key, rawBody: raw, headers: { "idempotency-key": idem } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((again.body as { id: string }).id).toBe((r.body as { id: string }).id);
  });

  it("a genuine answer moved to another key's entry is not replayed there", async () => {
    const a = await t.key(["monitors:read", "monitors:write"]);
    const b = await t.key(["monitors:read", "monitors:write"]);
    const idem = `move-${randomToken(6)}`;
    const raw = JSON.stringify({ name: "Moved", type: "tcp", host: "127.0.0.1", port: 9, paused: true });
    const slot = (keyId: string) => `api:idem:${keyId}:${createHash("sha256").update(idem).digest("hex")}`;
    const first = await api("POST", "/api/v1/monitors", { key: a.key, rawBody: raw, headers: { "idempotency-key": idem } });
    expect(first.status).toBe(201);
    await redis().set(slot(b.id), (await redis().get(slot(a.id)))!, "EX", 600);
    const other = await api("POST", "/api/v1/monitors", { key: b.key, rawBody: raw, headers: { "idempotency-key": idem } });
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect((other.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
  });
});

describe("pending 2FA sign-ins in Redis", () => {
  const step = () => Math.floor(Date.now() / 30_000);
  async function enrolledVictim() {
    const u = await createUser();
    const s = await createSession(db(), u.id, null, meta);
    const { secret } = await startTwoFactorEnrollment({ userId: u.id });
    await confirmTwoFactor({ userId: u.id, currentSessionIdHash: hashToken(s.token), input: { code: await generate({ secret, epoch: (step() - 1) * 30 }) }, meta });
    return { u, secret };
  }

  it("a planted pending sign-in naming a user signs no one in, even with that user's valid code", async () => {
    const { u, secret } = await enrolledVictim();
    const token = randomToken(32);
    await redis().set(`signin2fa:${hashToken(token)}`, JSON.stringify({ userId: u.id, attempts: 0 }), "EX", 600);
    const err = await completeTwoFactorSignIn({ pendingToken: token, input: { code: await generate({ secret, epoch: step() * 30 }) }, meta }).catch((e) => e);
    expect(err).toBeInstanceOf(Unauthorized);
  });

  it("a genuine pending sign-in edited to name another user, or moved to another token, signs no one in", async () => {
    const victim = await enrolledVictim();
    const attacker = await enrolledVictim();
    const a = await signIn({ input: { email: attacker.u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: "198.51.100.77" } });
    if (a.status !== "2fa_required") throw new Error("expected 2fa");
    const k = `signin2fa:${hashToken(a.pendingToken)}`;
    const genuine = (await redis().get(k))!;
    await redis().set(k, genuine.replace(attacker.u.id, victim.u.id), "KEEPTTL");
    const code = await generate({ secret: victim.secret, epoch: step() * 30 });
    expect(await completeTwoFactorSignIn({ pendingToken: a.pendingToken, input: { code }, meta }).catch((e) => e)).toBeInstanceOf(Unauthorized);
    const moved = randomToken(32);
    await redis().set(`signin2fa:${hashToken(moved)}`, genuine, "EX", 600);
    expect(await completeTwoFactorSignIn({ pendingToken: moved, input: { code: await generate({ secret: attacker.secret, epoch: step() * 30 }) }, meta }).catch((e) => e)).toBeInstanceOf(Unauthorized);
  });
});

describe("sign-in throttles in Redis", () => {
  it("are named by a keyed hash: the key names neither the account nor the address", () => {
    for (const k of [throttleKeys.signInAccount("victim@example.test"), throttleKeys.signInIp("203.0.113.5"), throttleKeys.resetAccount("victim@example.test"), throttleKeys.resetIp("203.0.113.5")]) {
      expect(k).not.toMatch(/victim|example|203\.0/);
      expect(k).toMatch(/^throttle:[a-z]+:(acct|ip):[0-9a-f]{64}$/);
    }
    expect(throttleKeys.signInAccount("a@example.test")).not.toBe(throttleKeys.signInAccount("b@example.test"));
  });
});
