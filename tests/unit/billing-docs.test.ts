import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LIMIT_LABELS, PLANS, type LimitName } from "../../src/server/billing/plans";

// docs/billing.md's plans table is PLANS rendered: this keeps the two from drifting apart.
const DOC = path.resolve(import.meta.dirname, "../../docs/billing.md");
const SOLD = ["free", "starter", "pro", "business"] as const;
const COLUMNS: LimitName[] = ["monitors", "minIntervalSeconds", "regions", "statusPages", "members", "retentionDays", "smsPerMonth", "apiRequestsPerMinute"];

function cell(limit: LimitName, v: number | null): string {
  if (v === null) return limit === "regions" ? "all" : "unlimited";
  const n = v.toLocaleString("en-US");
  return limit === "minIntervalSeconds" ? `${n} s` : limit === "retentionDays" ? `${n} days` : n;
}

function table(): string {
  const head = `| plan | ${COLUMNS.map((c) => LIMIT_LABELS[c].label).join(" | ")} |`;
  const rule = `|${"---|".repeat(COLUMNS.length + 1)}`;
  const rows = SOLD.map((id) => `| ${PLANS[id].name} (\`${id}\`) | ${COLUMNS.map((c) => cell(c, PLANS[id].limits[c])).join(" | ")} |`);
  return [head, rule, ...rows].join("\n");
}

describe("docs/billing.md", () => {
  it("shows the plans exactly as billing/plans.ts defines them", () => {
    const doc = readFileSync(DOC, "utf8");
    const m = /<!-- plans:start -->\n([\s\S]*?)\n<!-- plans:end -->/.exec(doc);
    expect(m, "docs/billing.md must keep the plans table between <!-- plans:start --> and <!-- plans:end -->").not.toBeNull();
    expect(m![1]).toBe(table());
  });
});
