import { assertPublicName, assertPublicTarget } from "../checks/ssrf";
import { env } from "../env";
import { kindOf } from "./kinds";
import type { MonitorData } from "./schema";

/** Create/update-time SSRF check of the kind's literal targets; names are checked again after DNS at connect time. */
export function assertTargetsAllowed(d: MonitorData): void {
  const allowPrivate = env().ALLOW_PRIVATE_TARGETS;
  kindOf(d.type)?.targets(d as never, (hostOrUrl, field, what) => (what === "name" ? assertPublicName(hostOrUrl, allowPrivate, field) : assertPublicTarget(hostOrUrl, allowPrivate, field)));
}
