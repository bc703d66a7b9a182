import { assertPublicTarget } from "../checks/ssrf";
import { env } from "../env";
import type { ChannelData } from "../validation/channels";

/**
 * Create/update-time SSRF check of the URLs a customer gives a channel (webhook and Slack
 * URLs, custom base URLs). Names are checked again after DNS when a notification is sent.
 */
export function assertChannelTargetsAllowed(d: ChannelData): void {
  const allowPrivate = env().ALLOW_PRIVATE_TARGETS;
  if ((d.type === "webhook" || d.type === "slack") && d.url) assertPublicTarget(d.url, allowPrivate, "url");
  if ((d.type === "sms" || d.type === "pagerduty" || d.type === "telegram") && d.baseUrl) assertPublicTarget(d.baseUrl, allowPrivate, "baseUrl");
}
