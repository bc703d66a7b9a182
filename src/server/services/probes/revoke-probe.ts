import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { probes } from "../../db/schema";
import { NotFound } from "../../errors";
import { dropProbeRedis } from "./redis-access";

export async function revokeProbe({ id }: { id: string }) {
  const [p] = await db().update(probes).set({ revokedAt: new Date() }).where(eq(probes.id, id)).returning();
  if (!p) throw new NotFound("Probe not found.");
  await dropProbeRedis(id);
}
