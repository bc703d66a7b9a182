import { z } from "zod";
import type { Incident } from "../../db/schema";

/** A downtime event as the API shows it; the type is the schema's, so the two cannot drift. */
export const eventViewSchema = z
  .object({
    id: z.uuid(),
    monitorId: z.uuid(),
    monitorName: z.string(),
    state: z.enum(["open", "closed"]),
    openedAt: z.string().describe("ISO 8601 time"),
    closedAt: z.string().describe("ISO 8601 time").nullable(),
    durationSeconds: z.number().nullable(),
    cause: z.object({ errorClass: z.string().nullable(), message: z.string().nullable(), statusCode: z.number().nullable() }).strict(),
    regionsDown: z.array(z.string()),
    duringMaintenance: z.boolean(),
  })
  .strict()
  .meta({ id: "Event" });

export type EventView = z.infer<typeof eventViewSchema>;

export function toEventView(i: Incident, monitorName: string): EventView {
  return {
    id: i.id,
    monitorId: i.monitorId,
    monitorName,
    state: i.closedAt ? "closed" : "open",
    openedAt: i.openedAt.toISOString(),
    closedAt: i.closedAt?.toISOString() ?? null,
    durationSeconds: i.closedAt ? i.durationSeconds : Math.max(0, Math.round((Date.now() - i.openedAt.getTime()) / 1000)),
    cause: { errorClass: i.causeErrorClass, message: i.causeMessage, statusCode: i.causeStatusCode },
    regionsDown: i.regionsDown,
    duringMaintenance: i.duringMaintenance,
  };
}
