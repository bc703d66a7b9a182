/** Billing commands of the operator CLI (scripts/cli.ts lists them). */
import { UsageError, type CliCommand } from "./cli-usage";

export const billingUsage = `  org:plan --org SLUG --plan free|starter|pro|business [--until 2027-01-31]
      Put an organization on a comped plan (audited); --plan none removes the comp.
  billing:reconcile
      Compare every paying organization with Stripe now and repair drift (also runs daily).
`;

export const billingCommands: Record<string, CliCommand> = {
  "org:plan": async () => {
    throw new UsageError("org:plan is not built yet (issue 12)");
  },
  "billing:reconcile": async () => {
    throw new UsageError("billing:reconcile is not built yet (issue 12)");
  },
};
