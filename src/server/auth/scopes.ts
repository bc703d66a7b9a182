import type { Role } from "../db/schema";
import { hasRole } from "../context";

/** API scopes and the least role a key's creator needs to hold each. */
export const SCOPES = {
  "monitors:read": "VIEWER",
  "monitors:write": "EDITOR",
  "events:read": "VIEWER",
  "channels:read": "VIEWER",
  "channels:write": "EDITOR",
  "status-pages:read": "VIEWER",
  "status-pages:write": "EDITOR",
  "account:export": "ADMIN",
} as const satisfies Record<string, Role>;

export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  "monitors:read": "List and read monitors, their results and uptime",
  "monitors:write": "Create, change, pause, resume and delete monitors",
  "events:read": "Read incidents (downtime events)",
  "channels:read": "List and read notification channels (secrets stay masked)",
  "channels:write": "Create, change and delete notification channels",
  "status-pages:read": "Read status pages",
  "status-pages:write": "Manage status pages",
  "account:export": "Export all of the organization's data",
};

export const isScope = (s: string): s is Scope => s in SCOPES;

/** Scopes a member with `role` may grant to a key (and that such a key keeps while the role lasts). */
export function scopesAllowedFor(role: Role): Scope[] {
  return SCOPE_NAMES.filter((s) => hasRole(role, SCOPES[s]));
}
