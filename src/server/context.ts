import type { Role } from "./db/schema";

/** Where a request came from; recorded in the audit log. */
export type RequestMeta = { ip: string | null; userAgent: string | null; requestId?: string };

export type Actor = { userId: string; email: string; isAdmin: boolean };

/** Built by a transport from the session or API key — never from request input. */
export type Ctx = {
  actor: Actor;
  org: { id: string; slug: string; name: string; role: Role };
  meta: RequestMeta;
  /** Set when acting through an API key: its effective scopes (its own ∩ its creator's role). */
  scopes?: readonly string[];
};

export const ROLE_RANK: Record<Role, number> = { VIEWER: 1, EDITOR: 2, ADMIN: 3 };

export function hasRole(role: Role, atLeast: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[atLeast];
}
