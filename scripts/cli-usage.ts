/** A bad command line: printed as one line, exit 2. */
export class UsageError extends Error {}

export const cliMeta = { ip: "cli", userAgent: "perigee-cli" };

export type CliCommand = (argv: string[]) => Promise<unknown>;
