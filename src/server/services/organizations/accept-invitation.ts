import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict, Forbidden } from "../../errors";
import { recordAudit } from "../audit/record";
import { claim } from "./invitation";
import { assertSeatAvailable } from "./internal";

/** A signed-in user whose email matches accepts. */
export async function acceptInvitation({ token, userId, meta }: { token: string; userId: string; meta: RequestMeta }) {
  return db().transaction(async (tx) => {
    const inv = await claim(tx, token);
    const [u] = await tx.select().from(users).where(eq(users.id, userId));
    if (!u || u.email.toLowerCase() !== inv.email.toLowerCase()) {
      throw new Forbidden(`This invitation is for ${inv.email}. Sign in with that address to accept it.`);
    }
    const [already] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.organizationId, inv.organizationId), eq(memberships.userId, u.id)));
    if (already) throw new Conflict("You are already a member of this organization.");
    await assertSeatAvailable(tx, inv.organizationId, "invitee");
    await tx.insert(memberships).values({ organizationId: inv.organizationId, userId: u.id, role: inv.role });
    // The invitation link reached this address: that proves it.
    if (!u.emailVerifiedAt) await tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, u.id));
    await recordAudit(tx, { organizationId: inv.organizationId, actorUserId: u.id, action: "invitation.accepted", targetType: "invitation", targetId: inv.id, metadata: { role: inv.role }, meta });
    return { organizationId: inv.organizationId, role: inv.role };
  });
}
