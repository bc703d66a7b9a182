import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, monitors, organizations, stripeEvents } from "../../src/server/db/schema";
import { callRoute } from "../helpers/app-route";
import { createOrg } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { startStripeStub, stubSubscription, type StripeStub } from "../helpers/stripe-stub";
import { TEST_SECRETS } from "../helpers/test-secrets";

// This file's own process runs with billing off (no STRIPE_SECRET_KEY); the CLI children get it on.
const ROOT = path.resolve(import.meta.dirname, "../..");
let stub: StripeStub;
beforeAll(async () => {
  stub = await startStripeStub();
});
afterAll(() => stub.close());

// Asynchronous on purpose: the Stripe stub answers from this process's event loop.
function cli(args: string[], billing = true): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...TEST_SECRETS,
    NODE_ENV: "test",
    DATABASE_URL: inject("databaseUrl"),
    REDIS_PREFIX: `${inject("redisPrefix")}billing-cli-`,
    STRIPE_SECRET_KEY: billing ? "sk_test_billing_cli" : "",
    STRIPE_API_URL: stub.url,
    STRIPE_PRICE_PRO_MONTHLY: "price_pro_m",
    STRIPE_PRICE_PRO_YEARLY: "price_pro_y",
  };
  return new Promise((resolve) =>
    execFile(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/cli.ts", ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const orgRow = async (id: string) => (await db().select().from(organizations).where(eq(organizations.id, id)))[0]!;
const audits = async (orgId: string, action: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, orgId), eq(auditLog.action, action)));

describe("operator CLI: billing", { timeout: 60_000 }, () => {
  it("org:plan comps a plan until a date, audited, enforced at once; --plan none removes it", async () => {
    const org = await createOrg("Comped Org");
    for (let i = 0; i < 11; i++) await insertMonitor(org.id, { name: `c${i}`, intervalSeconds: 300, createdAt: new Date(Date.now() - (20 - i) * 86_400_000) });

    const pro = await cli(["org:plan", "--org", org.slug, "--plan", "pro", "--until", "2027-01-31"]);
    expect(pro.stderr).toBe("");
    expect(pro.code).toBe(0);
    expect(pro.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(pro.stdout)).toMatchObject({
      organization: { id: org.id, slug: org.slug },
      planOverride: "pro",
      planOverrideUntil: "2027-01-31T00:00:00.000Z",
      effectivePlan: "pro",
      source: "comped",
      changes: 0,
    });
    const [set] = await audits(org.id, "billing.plan_override_set");
    expect(set).toMatchObject({ actorUserId: null, ip: "cli", userAgent: "perigee-cli", metadata: { to: { plan: "pro", until: "2027-01-31T00:00:00.000Z" }, by: "operator" } });
    expect((await orgRow(org.id)).enforcedPlan).toBe("pro");

    // A comp below usage is a downgrade like any other: the newest monitor beyond Free's 10 pauses.
    const free = await cli(["org:plan", "--org", org.slug, "--plan", "free"]);
    expect(free.code).toBe(0);
    expect(JSON.parse(free.stdout)).toMatchObject({ planOverride: "free", planOverrideUntil: null, effectivePlan: "free", changes: 1 });
    const paused = await db()
      .select()
      .from(monitors)
      .where(and(eq(monitors.organizationId, org.id), eq(monitors.pausedByPlan, true)));
    expect(paused.map((m) => m.name)).toEqual(["c10"]);

    const none = await cli(["org:plan", "--org", org.slug, "--plan", "none"]);
    expect(none.code).toBe(0);
    // No subscription: back to free, nothing more to change.
    expect(JSON.parse(none.stdout)).toMatchObject({ planOverride: null, effectivePlan: "free", source: "free" });
    expect(await audits(org.id, "billing.plan_override_removed")).toHaveLength(1);
  });

  it("org:plan refuses bad input with one line naming the flag (exit 2)", async () => {
    const org = await createOrg("Bad Input Org");
    const [gold, past, missing, nobody] = await Promise.all([
      cli(["org:plan", "--org", org.slug, "--plan", "gold"]),
      cli(["org:plan", "--org", org.slug, "--plan", "pro", "--until", "2020-01-01"]),
      cli(["org:plan", "--org", org.slug]),
      cli(["org:plan", "--org", `nope-${randomBytes(3).toString("hex")}`, "--plan", "pro"]),
    ]);
    expect(gold.code).toBe(2);
    expect(gold.stdout).toBe("");
    expect(gold.stderr.trim()).toBe("error: --plan: Choose free, starter, pro, business, or none to remove the comp");
    expect(past.code).toBe(2);
    expect(past.stderr.trim()).toBe("error: --until: The end must be in the future");
    expect(missing.stderr.trim()).toBe("error: org:plan needs --plan");
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/No organization with slug nope-/);
    expect(await audits(org.id, "billing.plan_override_set")).toEqual([]);
  });

  it("billing:reconcile repairs drift now and prints the counts; with billing off it says so", async () => {
    const org = await createOrg("Drifted Org");
    const customer = `cus_${randomBytes(6).toString("hex")}`;
    const sub = stubSubscription(stub, { customer, price: "price_pro_y", status: "active" });
    await db()
      .update(organizations)
      .set({ stripeCustomerId: customer, stripeSubscriptionId: sub.id, subscriptionPlan: "pro", subscriptionInterval: "month", subscriptionStatus: "past_due" })
      .where(eq(organizations.id, org.id));
    const r = await cli(["billing:reconcile"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["checked", "failed", "repaired"]);
    expect(out.repaired).toBeGreaterThanOrEqual(1);
    expect(await orgRow(org.id)).toMatchObject({ subscriptionInterval: "year", subscriptionStatus: "active", enforcedPlan: "pro" });
    expect(await audits(org.id, "billing.drift_repaired")).toHaveLength(1);

    const off = await cli(["billing:reconcile"], false);
    expect(off.code).toBe(2);
    expect(off.stderr.trim()).toBe("error: Billing is off (STRIPE_SECRET_KEY is not set): there is nothing to reconcile.");
  });
});

describe("billing off (this process has no STRIPE_SECRET_KEY)", () => {
  it("the webhook refuses every event with a 400 that says so, stores nothing and calls no Stripe", async () => {
    const payload = JSON.stringify({ id: `evt_${randomBytes(6).toString("hex")}`, object: "event", type: "customer.subscription.updated", data: { object: { id: "sub_x", customer: "cus_x" } } });
    const before = stub.requests.length;
    const r = await callRoute("POST", "/api/stripe/webhook", {
      headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_any" }) },
      body: payload,
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toBe("Billing is off on this install (STRIPE_SECRET_KEY is not set), so Stripe webhooks are not accepted.");
    expect(r.headers.get("content-type")).toMatch(/application\/json/);
    expect(stub.requests.length).toBe(before);
    expect(
      await db()
        .select()
        .from(stripeEvents)
        .where(eq(stripeEvents.id, JSON.parse(payload).id)),
    ).toEqual([]);
  });
});
