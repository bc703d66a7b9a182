import { dns } from "./dns";
import { heartbeat } from "./heartbeat";
import { http } from "./http";
import type { MonitorKind } from "./kind";
import { postgres } from "./postgres";
import { redis } from "./redis";
import { ssl } from "./ssl";
import { tcp } from "./tcp";

/** Every monitor kind, one line each; the pg enum, schemas, dispatch, forms and views derive from it. */
export const KINDS = [http, tcp, ssl, dns, heartbeat, postgres, redis] as const;

type Kinds = typeof KINDS;
type MonitorType = Kinds[number]["type"];

// A kind without a check (heartbeat) infers `unknown` for its executable config: not part of the union.
type ExecutableOf<K> = K extends { check?: { toExecutable: (...a: never[]) => infer E } } ? (unknown extends E ? never : E) : never;
/** The config an executor runs, for any kind that is checked. */
export type KindExecutable = ExecutableOf<Kinds[number]>;

/** The monitor types, in registry order (the pg enum's values). */
export const MONITOR_TYPES = KINDS.map((k) => k.type) as unknown as [MonitorType, ...MonitorType[]];

const BY_TYPE = new Map<string, MonitorKind>(KINDS.map((k) => [k.type, k as unknown as MonitorKind]));

/** The kind of a type; undefined for a type no kind declares (a stale row, a bogus job). */
export function kindOf(type: string): MonitorKind | undefined {
  return BY_TYPE.get(type);
}

/** What a monitor watches, in one line (messages, notifications, the dashboard); null when nothing is (heartbeat). */
export function targetOf(type: string, fields: Record<string, unknown>): string | null {
  try {
    return kindOf(type)?.target(fields) ?? null;
  } catch {
    return null;
  }
}

/** Short label of a type ("HTTP", "DNS"). */
export function labelOf(type: string): string {
  return kindOf(type)?.label ?? type;
}
