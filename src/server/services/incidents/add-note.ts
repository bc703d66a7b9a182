import { z } from "zod";
import { db } from "../../db/client";
import { incidentNotes, type IncidentNote } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { recordAudit } from "../audit/record";
import { getIncidentOrThrow } from "./internal";

const noteInputSchema = z.object({
  body: z.string().trim().min(1, "Write the note first").max(5000, "Keep a note under 5,000 characters"),
});

/** An internal note on a monitor incident (seen by the organization's members only, never on a status page). */
export async function addIncidentNote({ ctx, incidentId, input }: { ctx: Ctx; incidentId: string; input: unknown }): Promise<IncidentNote> {
  requirePermission(ctx, "incidents:write");
  const { body } = parseInput(noteInputSchema, input);
  return db().transaction(async (tx) => {
    const incident = await getIncidentOrThrow(tx, ctx.org.id, incidentId);
    const [note] = await tx.insert(incidentNotes).values({ organizationId: ctx.org.id, incidentId: incident.id, authorId: ctx.actor.userId, body }).returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "incident.note_added",
      targetType: "incident",
      targetId: incident.id,
      metadata: { noteId: note!.id },
      meta: ctx.meta,
    });
    return note!;
  });
}
