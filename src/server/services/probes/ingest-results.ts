import { inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import { Conflict, Forbidden } from "../../errors";
import { parseInput } from "../../lib/parse";
import { recordResults } from "../../monitors/record-results";
import { probeResultsSchema } from "../../probes/schema";
import { redis } from "../../redis";
import type { AuthedProbe } from "./authenticate";

/**
 * Stores a probe's signed batch. A batch id seen before is refused as a replay (409) and
 * stores nothing; results for another region, or for monitors that do not use this probe's
 * region, refuse the whole batch (403). Duplicate slots are ignored by the results key anyway.
 */
export async function ingestProbeResults({ probe, input }: { probe: AuthedProbe; input: unknown }) {
  const data = parseInput(probeResultsSchema, input, { controlChars: "keep" });
  const seenKey = `probe:batch:${probe.id}:${data.batchId}`;
  if (await redis().exists(seenKey)) throw new Conflict("This batch was already received (replayed request); nothing was stored again.");

  const foreign = data.results.find((r) => r.region !== probe.region);
  if (foreign) throw new Forbidden(`Result for region "${foreign.region}" refused: this probe reports for "${probe.region}" only.`);
  const ids = [...new Set(data.results.map((r) => r.monitorId))];
  const rows = await db().select({ id: monitors.id, regions: monitors.regions }).from(monitors).where(inArray(monitors.id, ids));
  const notOurs = rows.find((m) => !m.regions.includes(probe.region));
  if (notOurs) throw new Forbidden(`Monitor ${notOurs.id} is not checked from region "${probe.region}".`);

  const r = await recordResults(data.results.map((x) => ({ monitorId: x.monitorId, region: x.region, scheduledAt: new Date(x.scheduledAt), startedAt: new Date(x.startedAt), result: x.result })));
  await redis().set(seenKey, "1", "EX", 86_400);
  return { stored: r.inserted, duplicates: r.duplicates };
}
