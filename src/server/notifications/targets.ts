import { assertPublicTarget } from "../checks/ssrf";
import { env } from "../env";
import type { ChannelData } from "./channel-schema";
import { providerOf } from "./providers";

/**
 * Create/update-time SSRF check of the URLs a customer gives a channel (each provider's
 * `urls`: webhook URLs, custom base URLs…). Names are checked again after DNS when a
 * notification is sent.
 */
export function assertChannelTargetsAllowed(d: ChannelData): void {
  const allowPrivate = env().ALLOW_PRIVATE_TARGETS;
  const values = d as Record<string, unknown>;
  for (const field of providerOf(d.type).urls) {
    const v = values[field];
    if (typeof v === "string" && v) assertPublicTarget(v, allowPrivate, field);
  }
}
