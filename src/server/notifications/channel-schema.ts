import { z } from "zod";
import { CHANNEL_TYPES, PROVIDERS, providerOf, type AnyProvider, type ChannelType } from "./providers";
import type { ChannelProvider, ViewFields } from "./providers/provider";

/**
 * One schema for a notification channel, shared by the dashboard form, the REST API and the
 * OpenAPI document, built from the providers. The shape is flat: `name`, `type`, `isDefault`,
 * and the type's own fields beside them. Fields marked secret are write-only: stored sealed,
 * returned masked.
 */
export const MASK = "••••••";

const common = {
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name is at most 100 characters"),
  isDefault: z.boolean().default(false),
};

type InputOf<P> = P extends ChannelProvider<infer T, infer S, ViewFields> ? z.ZodObject<typeof common & { type: z.ZodLiteral<T> } & S, z.core.$strict> : never;
type InputsOf<T extends readonly unknown[]> = { [K in keyof T]: InputOf<T[K]> };
type InputOptions = InputsOf<typeof PROVIDERS>;

function inputOf(p: ChannelProvider) {
  let o = z.object({ ...common, type: z.literal(p.type), ...p.fields }).strict();
  for (const r of p.rules ?? []) o = o.refine((v) => r.check(v as never), { path: [r.path], message: r.message });
  return o;
}

export const channelInputSchema = z.discriminatedUnion("type", PROVIDERS.map((p) => inputOf(p as unknown as ChannelProvider)) as unknown as InputOptions, {
  error: (iss) => (iss.code === "invalid_union" ? `Type must be one of ${CHANNEL_TYPES.join(", ")}` : undefined),
});

export type ChannelData = z.output<typeof channelInputSchema>;

/**
 * What every channel answers to a reader: the common fields and the type's own view fields
 * (secrets masked). Strict, and a field of another type is refused: a setting stored by a
 * provider but missing from its `view` fails the view tests instead of leaking out unnoticed.
 */
type ViewsOf<P> = P extends { view: infer V extends ViewFields } ? { [K in keyof V]: z.output<V[K]["schema"]> } : never;
type Views = ViewsOf<AnyProvider>;
type KeysOf<U> = U extends unknown ? keyof U : never;
type ValueOf<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;

const viewCommon = {
  id: z.uuid(),
  name: z.string(),
  type: z.enum(CHANNEL_TYPES),
  isDefault: z.boolean(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastDeliveredAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export type ChannelView = { [K in keyof typeof viewCommon]: z.output<(typeof viewCommon)[K]> } & { type: ChannelType } & { [K in KeysOf<Views>]?: ValueOf<Views, K> };

function buildViewSchema() {
  const shapes = new Map<string, z.ZodType[]>();
  for (const p of PROVIDERS as readonly ChannelProvider[]) {
    for (const [k, f] of Object.entries(p.view)) {
      const seen = shapes.get(k) ?? [];
      if (!seen.includes(f.schema)) seen.push(f.schema);
      shapes.set(k, seen);
    }
  }
  const own = Object.fromEntries([...shapes].map(([k, ss]) => [k, (ss.length === 1 ? ss[0]! : z.union(ss as [z.ZodType, z.ZodType, ...z.ZodType[]])).optional()]));
  return z
    .object({ ...viewCommon, ...own })
    .strict()
    .superRefine((v, ctx) => {
      const allowed = providerOf(v.type).view;
      for (const k of Object.keys(v)) {
        if (k in viewCommon || k in allowed) continue;
        ctx.addIssue({ code: "custom", path: [k], message: `A ${v.type} channel has no field ${k}` });
      }
    });
}

export const channelViewSchema = buildViewSchema() as unknown as z.ZodType<ChannelView>;
