import type { z } from "zod";
import type { CheckResult, ExecOptions } from "../../checks/types";

/**
 * What a monitor kind is, in one object: its input fields and their rules, how its input is
 * stored (plain config vs sealed secrets) and read back, what its executor runs, the one-line
 * target people read, the create-time SSRF targets, its dashboard fieldset and its view
 * fields. The registry (./index.ts) lists the kinds; everything else reads it.
 */

/** Secrets of one monitor, sealed together (see ../config.ts). */
export type MonitorSecrets = Record<string, unknown>;

/** A dashboard control. The form renders it and the server action reads it back by this name. */
export type FormField = {
  name: string;
  label: string;
  /** list: comma- or newline-separated values; codes: HTTP status codes and ranges; headers: name/value rows. */
  control: "text" | "url" | "number" | "password" | "select" | "checkbox" | "textarea" | "list" | "codes" | "headers";
  options?: readonly (string | readonly [string, string])[];
  placeholder?: string;
  hint?: string;
  required?: boolean;
  min?: number;
  max?: number;
  /** Shown when the monitor has no value yet. */
  default?: string | number | boolean;
  /** Write-only: never shown back; empty on edit keeps the stored value. */
  secret?: boolean;
  /** Rendered (and sent) only while another field of this kind has one of these values (or none of notIn). */
  when?: { field: string; in?: readonly string[]; notIn?: readonly string[] };
  /** Consecutive fields with the same row render side by side. */
  row?: string;
  /** target (default): what to monitor; checks: checks on the answer; advanced: folded away; schedule: beside the interval. */
  section?: "target" | "checks" | "advanced" | "schedule";
};

export type KindForm = {
  /** Title and one-line description in the type picker. */
  title: string;
  description: string;
  namePlaceholder: string;
  /** A paragraph shown instead of (or after) fields. */
  note?: string;
  /** Whether "Test now" can run it (false for kinds the service is pushed to). */
  testable: boolean;
  fields: readonly FormField[];
};

export type Stored = Record<string, unknown>;

/** The columns of a stored monitor a view may read besides its config (not the table's type: the pg enum derives from the kinds). */
export type MonitorRow = { id: string; heartbeatTokenEnc: string | null };

export type MonitorKind<T extends string = string, F extends z.ZodRawShape = z.ZodRawShape, E = unknown, V extends z.ZodRawShape = z.ZodRawShape> = {
  type: T;
  /** Short name: "HTTP", "PostgreSQL". */
  label: string;
  /** The kind's own input fields (the common ones are in ../schema.ts). */
  fields: F;
  /** Rules across the kind's fields: `need(field, message)` adds a field error. */
  refine?: (v: z.output<z.ZodObject<F>>, need: (field: string, message: string) => void) => void;
  /** Input names whose values are secrets: masked in forms, kept on edit when sent empty or masked. */
  secretFields: readonly string[];
  /** Validated input → the plain config column and the sealed secrets (null: none). */
  split: (d: z.output<z.ZodObject<F>>) => { config: Stored; secrets: MonitorSecrets | null };
  /** The stored monitor back to this kind's input fields, secrets included. */
  toInput: (config: Stored, secrets: () => MonitorSecrets) => Stored;
  /** What the executor runs; absent for kinds that are pushed to (heartbeat). */
  check?: {
    toExecutable: (config: Stored, secrets: () => MonitorSecrets, timeoutMs: number) => E;
    execute: (config: E, opts: ExecOptions) => Promise<CheckResult>;
  };
  /** One line naming what is watched, from stored config, view or executable config (same keys); null when nothing is. */
  target: (c: Stored) => string | null;
  /** Create/update time: each literal destination (or, with `name`, a DNS name to resolve), checked by the SSRF guard under its field name. */
  targets: (d: z.output<z.ZodObject<F>>, check: (hostOrUrl: string, field: string, what?: "name") => void) => void;
  form: KindForm;
  /** View fields (strict in the view schema); optional there since a view has only its kind's. */
  view: V;
  toView: (m: MonitorRow, config: Stored, secrets: () => MonitorSecrets) => z.output<z.ZodObject<V>>;
};

/** Identity with inference: a kind module writes `export const tcp = defineKind({ ... })`. */
export function defineKind<T extends string, F extends z.ZodRawShape, E, V extends z.ZodRawShape>(k: MonitorKind<T, F, E, V>): MonitorKind<T, F, E, V> {
  return k;
}

/** Drops undefined and null values (a stored config written by split has no nulls that mean something). */
export function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

/** "host:port", with brackets around an IPv6 literal. */
export function hostPort(host: unknown, port: unknown): string | null {
  if (typeof host !== "string" || !host) return null;
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return port === undefined || port === null ? h : `${h}:${String(port)}`;
}

/** The host and port fields of kinds that connect to host:port (TCP, SSL, PostgreSQL, Redis). */
export function hostPortFields(placeholder: string, defaultPort?: number): readonly FormField[] {
  return [
    { name: "host", label: "Host", control: "text", required: true, placeholder, row: "host" },
    defaultPort === undefined
      ? { name: "port", label: "Port", control: "number", required: true, min: 1, max: 65535, row: "host" }
      : { name: "port", label: "Port", control: "number", min: 1, max: 65535, default: defaultPort, row: "host" },
  ];
}

/** Create-time SSRF target of those kinds: the host. */
export function hostTarget(d: { host?: string }, check: (hostOrUrl: string, field: string) => void): void {
  if (d.host) check(d.host, "host");
}
