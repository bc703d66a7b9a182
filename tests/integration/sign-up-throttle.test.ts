import bcrypt from "bcrypt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RateLimited } from "../../src/server/errors";
import { SIGN_UP_PER_ADDRESS } from "../../src/server/auth/throttle";
import { env } from "../../src/server/env";
import { signUp } from "../../src/server/services/auth/sign-up";
import { POST as signUpRoute } from "../../src/app/api/auth/sign-up/route";
import { meta, uniqueEmail } from "../helpers/factories";

// The production default, before this file's first env() call (integration-env.ts raises it for the others).
process.env.SIGNUP_LIMIT_PER_IP = "10";

const uniqueIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const body = (email = uniqueEmail("burst")) => ({ name: "Burst", email, password: "a long enough password", organizationName: `Burst ${Math.random().toString(36).slice(2, 8)}` });

function post(b: unknown, ip: string) {
  return signUpRoute(
    new Request("http://localhost:3000/api/auth/sign-up", {
      method: "POST",
      headers: { origin: "http://localhost:3000", host: "localhost:3000", "content-type": "application/json", "x-perigee-client-ip": ip },
      body: JSON.stringify(b),
    }),
  );
}

afterEach(() => vi.restoreAllMocks());

describe("sign-up throttling", () => {
  it("25 parallel sign-ups from one IP: only the allowed number get an account (and a bcrypt hash), the rest 429 with Retry-After", async () => {
    const limit = env().SIGNUP_LIMIT_PER_IP;
    const hashes = vi.spyOn(bcrypt, "hash");
    const ip = uniqueIp();
    const answers = await Promise.all(Array.from({ length: 25 }, () => post(body(), ip)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25 - limit);
    expect(25 - limit).toBeGreaterThan(limit);
    // Exactly one hash per account made: the refused ones never reached bcrypt.
    expect(hashes).toHaveBeenCalledTimes(limit);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/Too many sign-ups from your network\. Try again in \d+ minutes/) });
    // Another network is not affected.
    expect((await post(body(), uniqueIp())).status).toBe(201);
  });

  it("per address: after 5 tries within the hour the address is refused from any network, before hashing", async () => {
    const email = uniqueEmail("addr");
    await signUp({ input: body(email), meta: { ...meta, ip: uniqueIp() } });
    for (let i = 1; i < SIGN_UP_PER_ADDRESS.limit; i++) {
      await expect(signUp({ input: body(email), meta: { ...meta, ip: uniqueIp() } })).rejects.toThrow(/already exists/);
    }
    const hashes = vi.spyOn(bcrypt, "hash");
    const e = await signUp({ input: body(email.toUpperCase()), meta: { ...meta, ip: uniqueIp() } }).catch((x) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect(e.message).toMatch(/Too many sign-ups for this email/);
    expect(hashes).not.toHaveBeenCalled();
  });

  it("invalid input costs nothing and counts nothing", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < env().SIGNUP_LIMIT_PER_IP + 2; i++) expect((await post({ ...body(), password: "short" }, ip)).status).toBe(400);
    expect((await post(body(), ip)).status).toBe(201);
  });
});
