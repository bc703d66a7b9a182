import { discord } from "./discord";
import { email } from "./email";
import { ntfy } from "./ntfy";
import { opsgenie } from "./opsgenie";
import { pagerduty } from "./pagerduty";
import type { ChannelProvider, FormField } from "./provider";
import { slack } from "./slack";
import { sms } from "./sms";
import { teams } from "./teams";
import { telegram } from "./telegram";
import { webhook } from "./webhook";

/**
 * The channel providers. The list of channel types (and the database enum), the input and view
 * schemas (channel-schema.ts), the secret and SSRF field lists, the sender each delivery runs
 * and the dashboard's form are derived from this array: a new provider is one module and one
 * line here (then `npx drizzle-kit generate` for the enum value).
 */
export const PROVIDERS = [email, slack, sms, pagerduty, telegram, webhook, discord, teams, opsgenie, ntfy] as const;

export type AnyProvider = (typeof PROVIDERS)[number];
export type ChannelType = AnyProvider["type"];
type TypesOf<T extends readonly { type: string }[]> = { readonly [K in keyof T]: T[K]["type"] };
export const CHANNEL_TYPES = PROVIDERS.map((p) => p.type) as unknown as TypesOf<typeof PROVIDERS>;

const BY_TYPE = new Map<string, ChannelProvider>(PROVIDERS.map((p) => [p.type, p as unknown as ChannelProvider]));

/** The provider of a channel type (a stored row's type is always one of them). */
export function providerOf(type: string): ChannelProvider {
  const p = BY_TYPE.get(type);
  if (!p) throw new Error(`Unknown channel type: ${type}`);
  return p;
}

/** Which input fields are secrets per type (never returned; an empty or masked value keeps the stored one). */
export const CHANNEL_SECRET_FIELDS = Object.fromEntries(PROVIDERS.map((p) => [p.type, p.secrets])) as Readonly<Record<ChannelType, readonly string[]>>;

/** Every field that is a secret for some type: what a form never echoes back. */
export const ALL_SECRET_FIELDS: ReadonlySet<string> = new Set(PROVIDERS.flatMap((p) => p.secrets as readonly string[]));

/** Every provider field the dashboard form can carry. */
export const FORM_FIELD_NAMES: readonly string[] = [...new Set(PROVIDERS.flatMap((p) => p.form.map((f) => f.name as string)))];

/** The dashboard's channel form, serialisable for the client component. */
export type ChannelFormSpec = { type: ChannelType; label: string; fields: (FormField & { secret: boolean })[] };
export const CHANNEL_FORMS: readonly ChannelFormSpec[] = PROVIDERS.map((p) => ({
  type: p.type,
  label: p.formLabel ?? p.label,
  fields: p.form.map((f) => ({ ...f, secret: (p.secrets as readonly string[]).includes(f.name) })),
}));
