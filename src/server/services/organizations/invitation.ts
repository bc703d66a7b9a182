import { and, eq, isNull } from "drizzle-orm";
import { type Tx } from "../../db/client";
import { invitations, type Invitation } from "../../db/schema";
import { Invalid, NotFound } from "../../errors";
import { hashToken } from "../../lib/crypto";
import { orgIsLive } from "../../privacy/live";

export type InvitationState = "valid" | "expired" | "used" | "revoked";

export function stateOf(i: Invitation): InvitationState {
  if (i.acceptedAt) return "used";
  if (i.revokedAt) return "revoked";
  if (i.expiresAt <= new Date()) return "expired";
  return "valid";
}

const STATE_MESSAGE: Record<Exclude<InvitationState, "valid">, string> = {
  used: "This invitation was already used.",
  revoked: "This invitation was withdrawn. Ask for a new one.",
  expired: "This invitation has expired. Ask the person who invited you for a new one.",
};

/** Claims the invitation inside the transaction: single use, even under concurrency. */
export async function claim(tx: Tx, token: string): Promise<Invitation> {
  const [inv] = await tx
    .select()
    .from(invitations)
    // A deleted organization's invitations wait for its restore (issue 13).
    .where(and(eq(invitations.tokenHash, hashToken(token)), orgIsLive(invitations.organizationId)))
    .for("update");
  if (!inv) throw new NotFound("Invitation not found.");
  const state = stateOf(inv);
  if (state !== "valid") throw new Invalid(STATE_MESSAGE[state]);
  const [ok] = await tx
    .update(invitations)
    .set({ acceptedAt: new Date() })
    .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (!ok) throw new Invalid(STATE_MESSAGE.used);
  return inv;
}
