/** Privacy commands of the operator CLI (scripts/cli.ts lists them). */
import { UsageError, type CliCommand } from "./cli-usage";

export const privacyUsage = `  org:delete --org SLUG
      Delete an organization: inert at once, restorable for ERASURE_GRACE_DAYS, then purged.
  org:restore --org SLUG
      Undo an organization's deletion within its grace period.
  user:delete --email E
      Delete an account: sign-in refused at once, restorable for ERASURE_GRACE_DAYS, then purged.
  user:restore --email E
      Undo an account's deletion within its grace period.
  privacy:purge [--grace DAYS]
      Purge now what was deleted more than DAYS ago (default ERASURE_GRACE_DAYS; 0 = everything deleted).
`;

const notYet = (name: string) => async () => {
  throw new UsageError(`${name} is not built yet (issue 13)`);
};

export const privacyCommands: Record<string, CliCommand> = {
  "org:delete": notYet("org:delete"),
  "org:restore": notYet("org:restore"),
  "user:delete": notYet("user:delete"),
  "user:restore": notYet("user:restore"),
  "privacy:purge": notYet("privacy:purge"),
};
