import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { invitations } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { recordAudit } from "../audit/record";
import { getInvitationOrThrow } from "./internal";

export async function revokeInvitation({ ctx, invitationId }: { ctx: Ctx; invitationId: string }) {
  requirePermission(ctx, "invitations:manage");
  await db().transaction(async (tx) => {
    const inv = await getInvitationOrThrow(tx, ctx.org.id, invitationId);
    await tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, inv.id));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: inv.id,
      metadata: { email: inv.email },
      meta: ctx.meta,
    });
  });
}
