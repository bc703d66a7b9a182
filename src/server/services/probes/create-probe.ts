import { randomUUID } from "node:crypto";
import { db } from "../../db/client";
import { probes } from "../../db/schema";
import { Invalid } from "../../errors";
import { encrypt, randomToken } from "../../lib/crypto";
import { regionId } from "../../monitors/regions";
import { grantProbeRedis, probeRedisUrl } from "./redis-access";

export const probeSecretAad = (probeId: string) => `probe:${probeId}`;

/**
 * Operator action: registers a probe for a region; the secret is shown once and sealed at rest.
 * The probe gets its own Redis user, limited to its region's queue (ADR 5): `redisUrl` is the
 * only Redis credential to put on the probe's host.
 */
export async function createProbe({ region, name }: { region: string; name?: string }) {
  if (!/^[a-z0-9-]{1,32}$/.test(region) || region === "default") {
    throw new Invalid('Region must be 1-32 lowercase letters, digits or "-", and not "default" (the worker\'s own region).', { region: ["Invalid region name"] });
  }
  await regionId(region);
  const id = randomUUID();
  const secret = randomToken(32);
  await db()
    .insert(probes)
    .values({ id, region, name: name ?? `${region} probe`, secretEnc: encrypt(secret, probeSecretAad(id)) });
  await grantProbeRedis({ id, region });
  return { id, region, name: name ?? `${region} probe`, secret, redisUrl: probeRedisUrl(id) };
}
