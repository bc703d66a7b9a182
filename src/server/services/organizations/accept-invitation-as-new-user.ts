import { eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict } from "../../errors";
import { hashPassword } from "../../auth/password";
import { createSession } from "../../auth/session";
import { parseInput } from "../../lib/parse";
import { acceptAsNewUserSchema } from "../../validation/organizations";
import { recordAudit } from "../audit/record";
import { claim } from "./invitation";
import { assertSeatAvailable } from "./internal";

/** Someone without an account: user + membership + audit + session in one transaction, no new organization. */
export async function acceptInvitationAsNewUser({ token, input, meta }: { token: string; input: unknown; meta: RequestMeta }) {
  const { name, password } = parseInput(acceptAsNewUserSchema, input);
  const passwordHash = await hashPassword(password);
  return db().transaction(async (tx) => {
    const inv = await claim(tx, token);
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, inv.email))
      .limit(1);
    if (existing) throw new Conflict(`An account for ${inv.email} already exists. Sign in to accept the invitation.`);
    await assertSeatAvailable(tx, inv.organizationId, "invitee");
    // The invitation link reached this address: that proves it.
    const [u] = await tx.insert(users).values({ email: inv.email, name, passwordHash, emailVerifiedAt: new Date() }).returning();
    await tx.insert(memberships).values({ organizationId: inv.organizationId, userId: u!.id, role: inv.role });
    await recordAudit(tx, {
      organizationId: inv.organizationId,
      actorUserId: u!.id,
      action: "invitation.accepted",
      targetType: "invitation",
      targetId: inv.id,
      metadata: { role: inv.role, newAccount: true },
      meta,
    });
    const session = await createSession(tx, u!.id, inv.organizationId, meta);
    return { user: { id: u!.id, email: u!.email }, organizationId: inv.organizationId, session };
  });
}
