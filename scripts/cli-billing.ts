/** Billing commands of the operator CLI (scripts/cli.ts lists them). */
import { parseArgs } from "node:util";
import { reconcileBilling } from "../src/server/billing/reconcile";
import { billingEnabled } from "../src/server/billing/effective";
import { setPlanOverride } from "../src/server/services/billing/set-plan-override";
import { UsageError, cliMeta, type CliCommand } from "./cli-usage";

export const billingUsage = `  org:plan --org SLUG --plan free|starter|pro|business|none [--until 2027-01-31]
      Put an organization on a comped plan (audited; enforced at once); --plan none removes the comp.
  billing:reconcile
      Compare every paying organization with Stripe now and repair drift (also runs daily).
`;

export const billingCommands: Record<string, CliCommand> = {
  "org:plan": async (argv) => {
    const { values } = parseArgs({ args: argv, options: { org: { type: "string" }, plan: { type: "string" }, until: { type: "string" } }, strict: true });
    const missing = (["org", "plan"] as const).filter((k) => !values[k]).map((k) => `--${k}`);
    if (missing.length) throw new UsageError(`org:plan needs ${missing.join(", ")}`);
    if (values.until && !/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(values.until)) throw new UsageError("--until must be a date such as 2027-01-31");
    return setPlanOverride({ input: { organizationSlug: values.org, plan: values.plan, until: values.until }, meta: cliMeta });
  },
  "billing:reconcile": async (argv) => {
    parseArgs({ args: argv, options: {}, strict: true });
    if (!billingEnabled()) throw new UsageError("Billing is off (STRIPE_SECRET_KEY is not set): there is nothing to reconcile.");
    return reconcileBilling();
  },
};
