import { describe, expect, it } from "vitest";
import { RateLimited } from "../../src/server/errors";
import { signIn } from "../../src/server/services/auth/sign-in";
import { POST as signInRoute } from "../../src/app/api/auth/sign-in/route";
import { TEST_PASSWORD, createUser, meta, uniqueEmail } from "../helpers/factories";

let n = 0;
const uniqueIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${++n % 250}`;

function post(body: unknown, headers: Record<string, string> = {}) {
  return signInRoute(
    new Request("http://localhost:3000/api/auth/sign-in", {
      method: "POST",
      headers: { origin: "http://localhost:3000", host: "localhost:3000", "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

describe("sign-in throttling", () => {
  it("locks an account after 5 failures, even for the right password, and not other accounts", async () => {
    const u = await createUser();
    for (let i = 0; i < 5; i++) {
      await expect(signIn({ input: { email: u.email, password: "wrong wrong wrong" }, meta: { ...meta, ip: uniqueIp() } })).rejects.toThrow(/incorrect/);
    }
    const e = await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: uniqueIp() } }).catch((x) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect(e.message).toMatch(/Too many sign-in attempts for this account. Try again in \d+ minutes/);
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    const other = await createUser();
    expect((await signIn({ input: { email: other.email, password: TEST_PASSWORD }, meta: { ...meta, ip: uniqueIp() } })).status).toBe("signed_in");
  });

  it("limits one IP spraying many accounts at 20 failures", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) {
      await signIn({ input: { email: uniqueEmail("spray"), password: "whatever pass" }, meta: { ...meta, ip } }).catch(() => undefined);
    }
    const u = await createUser();
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip } })).rejects.toBeInstanceOf(RateLimited);
    expect((await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: uniqueIp() } })).status).toBe("signed_in");
  });

  it("answers 429 with Retry-After and the error shape over HTTP", async () => {
    const u = await createUser();
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect((await post({ email: u.email, password: "bad bad bad" }, { "x-perigee-client-ip": ip })).status).toBe(401);
    const res = await post({ email: u.email, password: TEST_PASSWORD }, { "x-perigee-client-ip": ip });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: "rate_limited" });
    expect(body.error.message).toMatch(/Too many sign-in attempts/);
    expect(body.error.requestId).toBeTruthy();
  });

  it("refuses a missing or foreign Origin, and gives field errors for bad input", async () => {
    const noOrigin = await signInRoute(new Request("http://localhost:3000/api/auth/sign-in", { method: "POST", headers: { host: "localhost:3000", "content-type": "application/json" }, body: "{}" }));
    expect(noOrigin.status).toBe(403);
    const foreign = await post({}, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe("bad_origin");
    const bad = await post({ email: "not-an-email" }, { "x-perigee-client-ip": uniqueIp() });
    expect(bad.status).toBe(400);
    const b = await bad.json();
    expect(Object.keys(b.error.details).sort()).toEqual(["email", "password"]);
    const garbage = await signInRoute(
      new Request("http://localhost:3000/api/auth/sign-in", { method: "POST", headers: { origin: "http://localhost:3000", host: "localhost:3000" }, body: "{not json" }),
    );
    expect(garbage.status).toBe(400);
  });
});
