import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Billing on (the guard's plans), before anything reads the environment.
  process.env.STRIPE_SECRET_KEY = "sk_test_plan_guard";
  process.env.APP_URL = "https://perigee.example.com";
});

import { assertCountAllows, assertIntervalAllowed, assertRegionsAllowed, type LimitedOrg } from "@/server/billing/guard";
import { PlanLimitReached } from "@/server/errors";

const acme: LimitedOrg = {
  name: "Acme",
  maxMonitors: null,
  minIntervalSeconds: null,
  planOverride: null,
  planOverrideUntil: null,
  subscriptionPlan: null,
  subscriptionStatus: null,
  pastDueSince: null,
};
const on = (plan: string): LimitedOrg => ({ ...acme, subscriptionPlan: plan, subscriptionStatus: "active" });

function refusal(fn: () => void): PlanLimitReached {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlanLimitReached) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("plan limit messages", () => {
  it("names the limit, the plan, the figures and the cheapest plan that allows it, with the billing page", () => {
    const e = refusal(() => assertCountAllows(acme, "monitors", 10));
    expect(e.message).toBe("Acme is on the Free plan, which allows 10 monitors (it has 10). Upgrade to Starter for 50 monitors: https://perigee.example.com/settings/billing.");
    expect(e.status).toBe(402);
    expect(e.code).toBe("plan_limit_reached");
    expect(e.limit).toEqual({ name: "monitors", plan: "free", allowed: 10, current: 10, requested: 11, upgradePlan: "starter", upgradeUrl: "https://perigee.example.com/settings/billing" });
  });

  it("says it in the limit's own words, singular where it is one", () => {
    expect(refusal(() => assertCountAllows(acme, "statusPages", 1)).message).toBe(
      "Acme is on the Free plan, which allows 1 status page (it has 1). Upgrade to Starter for 3 status pages: https://perigee.example.com/settings/billing.",
    );
    expect(refusal(() => assertIntervalAllowed(acme, 60)).message).toBe(
      "Acme is on the Free plan, which allows checks every 180 seconds at the shortest (asked for 60 seconds). Upgrade to Starter for checks every 60 seconds: https://perigee.example.com/settings/billing.",
    );
    expect(refusal(() => assertIntervalAllowed(acme, 30)).limit.upgradePlan).toBe("pro");
    expect(refusal(() => assertRegionsAllowed(acme, 3)).message).toBe(
      "Acme is on the Free plan, which allows 1 region per monitor (asked for 3). Upgrade to Pro for 4 regions per monitor: https://perigee.example.com/settings/billing.",
    );
    expect(refusal(() => assertRegionsAllowed(on("pro"), 6)).message).toMatch(/Upgrade to Business for every region:/);
    expect(refusal(() => assertCountAllows(on("business"), "monitors", 1000)).message).toBe("Acme is on the Business plan, which allows 1,000 monitors (it has 1,000). No plan allows more.");
    expect(refusal(() => assertCountAllows(on("business"), "monitors", 1000)).limit.upgradePlan).toBeNull();
  });

  it("an invitee is told to ask an administrator, not to upgrade", () => {
    expect(refusal(() => assertCountAllows(acme, "members", 2, { who: "invitee" })).message).toBe(
      "Acme is on the Free plan, which allows 2 members (it has 2). Ask an administrator of Acme to upgrade to Starter, then open this invitation again.",
    );
  });

  it("a figure the operator set (org:limits) sends to the operator: no plan would change it", () => {
    const e = refusal(() => assertCountAllows({ ...on("pro"), maxMonitors: 5 }, "monitors", 5));
    expect(e.message).toBe("Acme's operator allows 5 monitors (it has 5). Ask your operator to raise it.");
    expect(e.limit).toMatchObject({ plan: "pro", allowed: 5, upgradePlan: null });
    expect(refusal(() => assertIntervalAllowed({ ...acme, minIntervalSeconds: 300 }, 200)).message).toBe(
      "Acme's operator allows checks every 300 seconds at the shortest (asked for 200 seconds). Ask your operator to raise it.",
    );
  });

  it("allows what the plan allows", () => {
    expect(() => assertCountAllows(acme, "monitors", 9)).not.toThrow();
    expect(() => assertIntervalAllowed(acme, 180)).not.toThrow();
    expect(() => assertRegionsAllowed(on("business"), 12)).not.toThrow();
    expect(() => assertCountAllows(on("starter"), "members", 3, { adding: 2 })).not.toThrow();
    expect(() => assertCountAllows(on("starter"), "members", 3, { adding: 3 })).toThrow(PlanLimitReached);
  });
});
