import type { Actor } from "../../context";
import { NotFound } from "../../errors";

/** Site admins only; everyone else is told the page does not exist. */
export function requireSiteAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new NotFound("Not found.");
}
