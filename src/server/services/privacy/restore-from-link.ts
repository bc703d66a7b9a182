import type { RequestMeta } from "../../context";
import { hashToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { restoreSchema } from "../../validation/privacy";
import { restoreDeletion, type Restored } from "./internal";

/** The mailed restore link, within the grace period: the account and/or organizations come back as they were. */
export async function restoreFromLink({ input, meta }: { input: unknown; meta: RequestMeta }): Promise<Restored> {
  const { token } = parseInput(restoreSchema, input);
  return restoreDeletion({ tokenHash: hashToken(token), meta });
}
