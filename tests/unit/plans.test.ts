import { describe, expect, it } from "vitest";
import { effectivePlan, type BillingState } from "@/server/billing/effective";
import { PLANS, cheapestPlanAllowing } from "@/server/billing/plans";

const none: BillingState = { maxMonitors: null, minIntervalSeconds: null, planOverride: null, planOverrideUntil: null, subscriptionPlan: null, subscriptionStatus: null, pastDueSince: null };
const now = new Date("2026-12-02T12:00:00Z");
const day = 86_400_000;

describe("effectivePlan", () => {
  it("billing off: self-hosted, unlimited, with the operator's overrides", () => {
    const p = effectivePlan(none, now, false);
    expect(p.plan).toBe("self-hosted");
    expect(p.limits.monitors).toBeNull();
    expect(effectivePlan({ ...none, maxMonitors: 5, minIntervalSeconds: 120 }, now, false).limits).toMatchObject({ monitors: 5, minIntervalSeconds: 120 });
    // A subscription left over from a billed past does not apply with billing off.
    expect(effectivePlan({ ...none, subscriptionPlan: "pro", subscriptionStatus: "active" }, now, false).plan).toBe("self-hosted");
  });

  it("billing on: free without a subscription; trialing and active give the plan", () => {
    expect(effectivePlan(none, now, true)).toMatchObject({ plan: "free", source: "free", limits: PLANS.free.limits });
    expect(effectivePlan({ ...none, subscriptionPlan: "starter", subscriptionStatus: "trialing" }, now, true).plan).toBe("starter");
    expect(effectivePlan({ ...none, subscriptionPlan: "pro", subscriptionStatus: "active" }, now, true).plan).toBe("pro");
    for (const status of ["canceled", "unpaid", "incomplete", "incomplete_expired", "paused"]) {
      expect(effectivePlan({ ...none, subscriptionPlan: "pro", subscriptionStatus: status }, now, true).plan).toBe("free");
    }
  });

  it("past_due keeps the plan for the grace period, then free", () => {
    const inGrace = effectivePlan({ ...none, subscriptionPlan: "pro", subscriptionStatus: "past_due", pastDueSince: new Date(now.getTime() - 6 * day) }, now, true);
    expect(inGrace).toMatchObject({ plan: "pro", source: "grace" });
    expect(inGrace.graceEndsAt?.toISOString()).toBe(new Date(now.getTime() + day).toISOString());
    expect(effectivePlan({ ...none, subscriptionPlan: "pro", subscriptionStatus: "past_due", pastDueSince: new Date(now.getTime() - 8 * day) }, now, true).plan).toBe("free");
  });

  it("a comped plan wins until it ends", () => {
    expect(effectivePlan({ ...none, planOverride: "business", planOverrideUntil: new Date(now.getTime() + day) }, now, true)).toMatchObject({ plan: "business", source: "comped" });
    expect(effectivePlan({ ...none, planOverride: "business", planOverrideUntil: new Date(now.getTime() - day) }, now, true).plan).toBe("free");
    expect(effectivePlan({ ...none, planOverride: "pro", planOverrideUntil: null }, now, true).plan).toBe("pro");
  });
});

describe("cheapestPlanAllowing", () => {
  it("names the upgrade for each kind of limit", () => {
    expect(cheapestPlanAllowing("monitors", 11)).toBe("starter");
    expect(cheapestPlanAllowing("monitors", 51)).toBe("pro");
    expect(cheapestPlanAllowing("monitors", 5000)).toBeNull();
    expect(cheapestPlanAllowing("minIntervalSeconds", 60)).toBe("starter");
    expect(cheapestPlanAllowing("minIntervalSeconds", 30)).toBe("pro");
    expect(cheapestPlanAllowing("regions", 7)).toBe("business");
  });
});
