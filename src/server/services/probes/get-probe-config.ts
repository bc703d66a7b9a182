import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import { NotFound } from "../../errors";
import { toExecutable } from "../../monitors/config";
import { orgIsLive } from "../../privacy/live";
import type { AuthedProbe } from "./authenticate";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The runnable config (secrets included) of a monitor that uses this probe's region; else 404. */
export async function getProbeConfig({ probe, monitorId }: { probe: AuthedProbe; monitorId: string }) {
  if (!UUID.test(monitorId)) throw new NotFound("Monitor not found.");
  const [m] = await db()
    .select()
    .from(monitors)
    .where(and(eq(monitors.id, monitorId), orgIsLive(monitors.organizationId)))
    .limit(1);
  if (!m || !m.regions.includes(probe.region)) throw new NotFound("Monitor not found.");
  return { id: m.id, version: m.version, paused: m.paused, config: toExecutable(m) };
}
