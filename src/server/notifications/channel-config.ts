import type { NotificationChannel } from "../db/schema";
import { decrypt, encrypt } from "../lib/crypto";
import { MASK, type ChannelData, type ChannelView } from "./channel-schema";
import { CHANNEL_SECRET_FIELDS } from "./providers";

/**
 * A channel row ⇄ its validated input. Secrets are sealed with the organization and row as
 * associated data: the same ciphertext pasted into another row or tenant does not decrypt.
 */
export type ChannelSecrets = Record<string, string>;

export const channelAad = (organizationId: string, channelId: string) => `channel:${organizationId}:${channelId}`;

export function splitChannel(d: ChannelData): { config: Record<string, unknown>; secrets: ChannelSecrets } {
  const secretNames = CHANNEL_SECRET_FIELDS[d.type] as readonly string[];
  const config: Record<string, unknown> = {};
  const secrets: ChannelSecrets = {};
  for (const [k, v] of Object.entries(d)) {
    if (k === "name" || k === "type" || k === "isDefault" || v === undefined) continue;
    if (secretNames.includes(k)) secrets[k] = String(v);
    else config[k] = v;
  }
  // Webhook channels also keep their signing secret among the secrets (generated, shown once).
  config.secretFields = Object.keys(secrets);
  return { config, secrets };
}

export function sealChannelSecrets(organizationId: string, channelId: string, secrets: ChannelSecrets): string | null {
  return Object.keys(secrets).length ? encrypt(JSON.stringify(secrets), channelAad(organizationId, channelId)) : null;
}

export function openChannelSecrets(c: Pick<NotificationChannel, "organizationId" | "id" | "secretsEnc">): ChannelSecrets {
  return c.secretsEnc ? (JSON.parse(decrypt(c.secretsEnc, channelAad(c.organizationId, c.id))) as ChannelSecrets) : {};
}

/** The stored channel as input (secrets opened), for merging a partial update. */
export function channelToInput(c: NotificationChannel): Record<string, unknown> {
  const { secretFields: _omit, ...cfg } = c.config as Record<string, unknown>;
  const { signingSecret: _kept, ...secrets } = openChannelSecrets(c);
  return { name: c.name, type: c.type, isDefault: c.isDefault, ...cfg, ...secrets };
}

/** The reader's view: settings as stored, secrets masked (never decrypted for display). */
export function toChannelView(c: NotificationChannel): ChannelView {
  const cfg = c.config as Record<string, unknown>;
  // Which secrets are set is recorded in config.secretFields (no decryption needed to list).
  const set = (cfg.secretFields as string[] | undefined) ?? [];
  const secretFields = CHANNEL_SECRET_FIELDS[c.type] as readonly string[];
  // A field sealed since the row was saved may still sit in its plain config (e.g. a Twilio SID): masked all the same.
  const secretNames = Object.fromEntries(secretFields.filter((f) => set.includes(f) || cfg[f] !== undefined).map((f) => [f, MASK]));
  const { secretFields: _omit, ...rest } = cfg;
  const shown = Object.fromEntries(Object.entries(rest).filter(([k]) => !secretFields.includes(k)));
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    isDefault: c.isDefault,
    ...(shown as Partial<ChannelView>),
    ...secretNames,
    lastError: c.lastError,
    lastErrorAt: c.lastErrorAt?.toISOString() ?? null,
    lastDeliveredAt: c.lastDeliveredAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
