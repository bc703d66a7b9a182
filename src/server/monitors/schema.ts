import { z } from "zod";
import { Invalid, fieldErrorsFrom } from "../errors";
import { KINDS, labelOf, MONITOR_TYPES } from "./kinds";
import type { MonitorKind } from "./kinds/kind";
import { refuseControlChars } from "../lib/parse";

/**
 * One schema for a monitor, shared by the dashboard form, the REST API and the OpenAPI
 * document: the common fields plus the fields of its kind, a union discriminated by `type`.
 * The JSON stays flat.
 */

const MONITOR_LIMITS = { minInterval: 30, maxInterval: 86_400, minTimeout: 500, maxTimeout: 60_000 } as const;

const common = {
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(120, "Name must be at most 120 characters"),
  intervalSeconds: z.coerce
    .number({ error: "Interval must be a number of seconds" })
    .int()
    .min(MONITOR_LIMITS.minInterval, `Interval must be at least ${MONITOR_LIMITS.minInterval} seconds`)
    .max(MONITOR_LIMITS.maxInterval, "Interval must be at most 24 hours (86400 seconds)")
    .default(60),
  timeoutMs: z.coerce.number().int().min(MONITOR_LIMITS.minTimeout, "Timeout must be at least 500 ms").max(MONITOR_LIMITS.maxTimeout, "Timeout must be at most 60000 ms").default(10_000),
  confirmations: z.coerce.number().int().min(1, "At least 1").max(10, "At most 10").default(2),
  recoveries: z.coerce.number().int().min(1, "At least 1").max(10, "At most 10").default(1),
  regions: z
    .array(z.string().regex(/^[a-z0-9-]{1,32}$/, "Region names are lowercase letters, digits and -"))
    .min(1, "Pick at least one region")
    .max(10)
    .default(["default"]),
  quorum: z.coerce.number().int().min(1).max(10).optional(),
  /** Channels alerted for this monitor; absent or null = the organization's default channels, [] = none. */
  channelIds: z
    .array(z.uuid({ error: "Each channel id must be a UUID" }))
    .max(50, "At most 50 channels")
    .nullable()
    .optional(),
  /** Re-alert while still DOWN every N minutes (null = no reminders), at most reminderMax times. */
  reminderIntervalMinutes: z.coerce.number().int().min(1, "Reminders at most every minute").max(1440, "Reminders at least once a day").nullable().optional(),
  reminderMax: z.coerce.number().int().min(1, "At least 1").max(100, "At most 100").default(3),
  /** Hold the recovery alert this long; a relapse within it sends neither. */
  recoveryDelaySeconds: z.coerce.number().int().min(0, "0 or more seconds").max(3600, "At most 3600 seconds").default(0),
  paused: z.boolean().default(false),
};

type Common = z.output<z.ZodObject<typeof common>>;

/** The common fields, this kind's fields and `type`; the common rules, then the kind's. */
function inputOf<K extends KindLike>(k: K) {
  return z.object({ ...common, type: z.literal(k.type as K["type"]), ...(k.fields as K["fields"]) }).superRefine((v, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    (k.refine as MonitorKind["refine"])?.(v, need);
    const c = v as unknown as Common;
    if (c.timeoutMs > c.intervalSeconds * 1000) need("timeoutMs", "Timeout must be shorter than the interval");
    if (c.quorum !== undefined && c.quorum > c.regions.length) need("quorum", "Quorum cannot exceed the number of regions");
    if (new Set(c.regions).size !== c.regions.length) need("regions", "Each region only once");
  });
}

type Kinds = typeof KINDS;
type KindLike = { type: string; fields: z.ZodRawShape; refine?: unknown };
type InputSchemasOf<T extends readonly KindLike[]> = { -readonly [I in keyof T]: T[I] extends KindLike ? ReturnType<typeof inputOf<T[I]>> : never };
type InputSchemas = InputSchemasOf<Kinds>;

export const monitorInputSchema = z.discriminatedUnion("type", KINDS.map((k) => inputOf(k)) as unknown as InputSchemas, {
  error: (iss) => (iss.code === "invalid_union" ? `Type must be one of ${MONITOR_TYPES.join(", ")}` : undefined),
});

export type MonitorInput = z.input<typeof monitorInputSchema>;

const KIND_FIELDS = new Map<string, Set<string>>(KINDS.map((k) => [k.type, new Set(Object.keys(k.fields))]));
const ALL_KIND_FIELDS = new Set(KINDS.flatMap((k) => Object.keys(k.fields)));

/**
 * Validates monitor input. A field of another kind (a port on an HTTP monitor) is refused by
 * name rather than dropped, so a client that sent it for a reason learns it had no effect.
 */
export function parseMonitorInput(input: unknown): MonitorData {
  refuseControlChars(input);
  const r = monitorInputSchema.safeParse(input);
  const issues: { path: PropertyKey[]; message: string }[] = r.success ? [] : [...r.error.issues];
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const own = KIND_FIELDS.get(String(raw.type));
  if (own) {
    const label = labelOf(String(raw.type));
    for (const k of Object.keys(raw)) if (raw[k] !== undefined && ALL_KIND_FIELDS.has(k) && !own.has(k)) issues.push({ path: [k], message: `Does not apply to ${label} monitors` });
  }
  if (issues.length) {
    const fields = fieldErrorsFrom(issues);
    throw new Invalid(Object.values(fields)[0]?.[0] ?? "Invalid input", fields);
  }
  return r.data!;
}
export type MonitorData = z.output<typeof monitorInputSchema>;

const isoTime = z.string().describe("ISO 8601 time");

/** Every kind's view fields, optional: a monitor's view carries only its own kind's. */
type ViewShape = Kinds[number]["view"];
type ViewKey = ViewShape extends infer V ? (V extends unknown ? keyof V : never) : never;
type ViewField<Key extends PropertyKey> = ViewShape extends infer V ? (V extends Record<Key, infer S extends z.ZodType> ? S : never) : never;
const kindViewFields = Object.fromEntries(KINDS.flatMap((k) => Object.entries(k.view as z.ZodRawShape).map(([name, s]) => [name, z.optional(s)]))) as {
  [Key in ViewKey]: z.ZodOptional<ViewField<Key>>;
};

/** The public shape of a monitor (dashboard and API). Strict: a view field missing here fails the API tests. */
export const monitorViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.enum(MONITOR_TYPES),
    ...kindViewFields,
    intervalSeconds: z.number(),
    timeoutMs: z.number(),
    confirmations: z.number(),
    recoveries: z.number(),
    regions: z.array(z.string()),
    quorum: z.number().nullable(),
    paused: z.boolean(),
    channelIds: z.array(z.uuid()).nullable().describe("null: the organization's default channels"),
    reminderIntervalMinutes: z.number().nullable(),
    reminderMax: z.number(),
    recoveryDelaySeconds: z.number(),
    state: z.enum(["PENDING", "UP", "DEGRADED", "DOWN", "PAUSED"]),
    stateChangedAt: isoTime,
    lastCheckedAt: isoTime.nullable(),
    certExpiresAt: isoTime.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .strict()
  .meta({ id: "Monitor" });
