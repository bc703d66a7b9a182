import { and, eq, sql } from "drizzle-orm";
import { db } from "../db/client";
import { monitors, notificationChannels } from "../db/schema";
import { openSecrets, sealSecrets } from "../monitors/config";
import { openChannelSecrets, sealChannelSecrets } from "../notifications/channel-config";

/**
 * Seals values saved in plain config before they were secrets: an HTTP monitor's request body
 * and an SMS channel's Twilio account SID. SQL cannot do it (sealing needs ENCRYPTION_KEY), so
 * the daily retention pass does, one row per short transaction; until then, and for any row it
 * has not reached, reads take the plain value and the row's next save seals it. The check
 * behaves the same before and after, so the monitor's version is left alone. Idempotent.
 */
export async function sealLegacySecrets(): Promise<number> {
  let sealed = 0;
  const bodies = await db()
    .select({ id: monitors.id })
    .from(monitors)
    .where(and(eq(monitors.type, "http"), sql`${monitors.config} ? 'body'`));
  for (const { id } of bodies) {
    await db().transaction(async (tx) => {
      const [m] = await tx.select().from(monitors).where(eq(monitors.id, id)).for("update");
      if (!m || typeof m.config.body !== "string") return;
      const { body, ...config } = m.config;
      const secrets = { ...openSecrets(m.id, m.secretsEnc), body };
      await tx
        .update(monitors)
        .set({ config: { ...config, hasBody: true }, secretsEnc: sealSecrets(m.id, secrets) })
        .where(eq(monitors.id, m.id));
      sealed++;
    });
  }
  const sids = await db()
    .select({ id: notificationChannels.id })
    .from(notificationChannels)
    .where(and(eq(notificationChannels.type, "sms"), sql`${notificationChannels.config} ? 'accountSid'`));
  for (const { id } of sids) {
    await db().transaction(async (tx) => {
      const [c] = await tx.select().from(notificationChannels).where(eq(notificationChannels.id, id)).for("update");
      const cfg = c?.config as Record<string, unknown> | undefined;
      if (!c || !cfg || typeof cfg.accountSid !== "string") return;
      const { accountSid, ...rest } = cfg;
      const secrets = { ...openChannelSecrets(c), accountSid };
      await tx
        .update(notificationChannels)
        .set({ config: { ...rest, secretFields: Object.keys(secrets) }, secretsEnc: sealChannelSecrets(c.organizationId, c.id, secrets) })
        .where(eq(notificationChannels.id, c.id));
      sealed++;
    });
  }
  return sealed;
}
