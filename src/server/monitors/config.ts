import type { Monitor } from "../db/schema";
import type { ExecutableConfig } from "../checks/types";
import { decrypt, encrypt } from "../lib/crypto";
import { kindOf } from "./kinds";
import { compact, type MonitorSecrets } from "./kinds/kind";
import type { MonitorData } from "./schema";

export type { MonitorSecrets };

const secretsAad = (monitorId: string) => `monitor:${monitorId}:secrets`;

/** Splits validated input into the stored plain config and the sealed secrets (the kind says which is which). */
export function splitConfig(d: MonitorData): { config: Record<string, unknown>; secrets: MonitorSecrets | null } {
  const kind = kindOf(d.type)!;
  const { config, secrets } = kind.split(d as never);
  // Checked kinds keep their timeout beside their settings (what a probe is given).
  return { config: kind.check ? { timeoutMs: d.timeoutMs, ...config } : config, secrets };
}

export function sealSecrets(monitorId: string, secrets: MonitorSecrets | null): string | null {
  return secrets ? encrypt(JSON.stringify(secrets), secretsAad(monitorId)) : null;
}

export function openSecrets(monitorId: string, sealed: string | null): MonitorSecrets {
  return sealed ? (JSON.parse(decrypt(sealed, secretsAad(monitorId))) as MonitorSecrets) : {};
}

/** Opens the sealed secrets at most once, and only if the kind asks for them. */
function lazySecrets(m: Pick<Monitor, "id" | "secretsEnc">): () => MonitorSecrets {
  let open: MonitorSecrets | undefined;
  return () => (open ??= openSecrets(m.id, m.secretsEnc));
}

/** What the executors run. Kinds that are pushed to (heartbeat) have no executor: null. */
export function toExecutable(m: Pick<Monitor, "id" | "type" | "config" | "secretsEnc" | "timeoutMs">): ExecutableConfig | null {
  const check = kindOf(m.type)?.check;
  return check ? (check.toExecutable(m.config, lazySecrets(m), m.timeoutMs) as ExecutableConfig) : null;
}

/** The stored monitor as schema input, secrets included: the base a partial update is merged onto. */
export function toInput(m: Monitor): Record<string, unknown> {
  const kind = kindOf(m.type);
  return compact({
    name: m.name,
    type: m.type,
    ...(kind ? kind.toInput(m.config, lazySecrets(m)) : {}),
    intervalSeconds: m.intervalSeconds,
    timeoutMs: m.timeoutMs,
    confirmations: m.confirmations,
    recoveries: m.recoveries,
    regions: m.regions,
    quorum: m.quorum,
    paused: m.paused,
    reminderIntervalMinutes: m.reminderIntervalMinutes,
    reminderMax: m.reminderMax,
    recoveryDelaySeconds: m.recoveryDelaySeconds,
  });
}

/** Input fields whose values are secrets, for the given type: kept from the stored monitor when sent empty or masked. */
export function secretFieldsOf(type: string): readonly string[] {
  return kindOf(type)?.secretFields ?? [];
}
