import type { Incident } from "../../db/schema";

/** A downtime event as the API shows it. */
export type EventView = {
  id: string;
  monitorId: string;
  monitorName: string;
  state: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  durationSeconds: number | null;
  cause: { errorClass: string | null; message: string | null; statusCode: number | null };
  regionsDown: string[];
  duringMaintenance: boolean;
};

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
