import { and, eq, inArray, sql } from "drizzle-orm";
import { requirePermission } from "../../auth/permissions";
import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import { NotFound } from "../../errors";
import { parseInput } from "../../lib/parse";
import { downgradeKeepInputSchema } from "../../validation/billing";
import { recordAudit } from "../audit/record";

/**
 * The ADMIN's choice of monitors that keep running when a downgrade leaves more monitors than
 * the plan allows: these are paused last (the rest by newest first). Replaces the previous choice.
 */
export async function setDowngradeKeep({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ kept: number }> {
  requirePermission(ctx, "billing:manage");
  const { monitorIds } = parseInput(downgradeKeepInputSchema, input);
  const ids = [...new Set(monitorIds)];
  return db().transaction(async (tx) => {
    if (ids.length) {
      const found = await tx
        .select({ id: monitors.id })
        .from(monitors)
        .where(and(eq(monitors.organizationId, ctx.org.id), inArray(monitors.id, ids)));
      if (found.length !== ids.length) throw new NotFound("Monitor not found.");
    }
    await tx
      .update(monitors)
      .set({ keepOnDowngrade: ids.length ? inArray(monitors.id, ids) : sql`false` })
      .where(eq(monitors.organizationId, ctx.org.id));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "billing.downgrade_keep_set",
      targetType: "organization",
      targetId: ctx.org.id,
      metadata: { monitorIds: ids },
      meta: ctx.meta,
    });
    return { kept: ids.length };
  });
}
