import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { incidents, type Incident } from "../../db/schema";
import { NotFound } from "../../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scoped fetch-or-throw: another organization's incident is indistinguishable from none. */
export async function getIncidentOrThrow(tx: DbOrTx, organizationId: string, incidentId: string, opts: { forUpdate?: boolean } = {}): Promise<Incident> {
  if (!UUID.test(incidentId)) throw new NotFound("Incident not found.");
  const q = tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.id, incidentId), eq(incidents.organizationId, organizationId)))
    .limit(1);
  const [i] = opts.forUpdate ? await q.for("update") : await q;
  if (!i) throw new NotFound("Incident not found.");
  return i;
}
