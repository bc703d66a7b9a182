import type { Role } from "../db/schema";
import { Forbidden } from "../errors";
import { type Ctx, hasRole } from "../context";

/**
 * The permission table. VIEWER reads; EDITOR manages monitors, channels and status pages;
 * ADMIN also members, API keys, billing, audit log, export and deletion.
 */
export const PERMISSIONS = {
  "org:read": "VIEWER",
  "monitors:write": "EDITOR",
  "channels:write": "EDITOR",
  "status-pages:write": "EDITOR",
  "incidents:write": "EDITOR",
  "members:read": "VIEWER",
  "members:manage": "ADMIN",
  "invitations:manage": "ADMIN",
  "audit:read": "ADMIN",
  "org:manage": "ADMIN",
  "api-keys:manage": "ADMIN",
  "billing:manage": "ADMIN",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return hasRole(role, PERMISSIONS[permission]);
}

/** First line of every verb. */
export function requirePermission(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.org.role, permission)) {
    throw new Forbidden(`Your role (${ctx.org.role}) cannot do this; it needs ${PERMISSIONS[permission]} or higher.`);
  }
}
