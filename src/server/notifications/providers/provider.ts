import type { z } from "zod";
import { env, type Env } from "../../env";
import type { AlertMessage } from "../message";

/**
 * What a channel provider is. Each provider module (email.ts, slack.ts, …) exports one of
 * these, and the registry (index.ts) lists them; the channel type enum, the input and view
 * schemas, the secret and SSRF field lists, the sender lookup and the dashboard's form are all
 * derived from it, so a new provider is one module plus one registry line.
 */
export type ChannelProvider<T extends string = string, S extends z.ZodRawShape = z.ZodRawShape, V extends ViewFields = ViewFields> = {
  type: T;
  /** Shown on the channel's badge and in the log. */
  label: string;
  /** The type picker's wording when it says more than the badge ("SMS (Twilio)"). */
  formLabel?: string;
  /** The provider's own input fields, beside the common `name`, `type` and `isDefault`. */
  fields: S;
  /** Rules across fields, each reported on one field. */
  rules?: readonly { check: (v: z.output<z.ZodObject<S>>) => boolean; path: keyof S & string; message: string }[];
  /** Write-only fields: stored sealed, answered masked, never echoed into a form. */
  secrets: readonly (keyof S & string)[];
  /**
   * Customer-given URLs: refused at create/update time when they name a private address
   * (`assertPublicTarget`), and sent to only through the guarded transport (http.ts, guard on).
   */
  urls: readonly (keyof S & string)[];
  /** The dashboard form, in order. Secret fields render as password inputs. */
  form: readonly FormField<keyof S & string>[];
  /** What a reader is answered besides the common fields, in the order the dashboard lists them. */
  view: V;
  /** A valid input (without name/type), for docs and the registry's own tests. */
  example: Record<string, unknown>;
  /** The install-wide provider endpoints (env.ts), for a proxy or a regional gateway. */
  apiUrls?: readonly ApiUrlSetting[];
  send: Sender;
};

export type FormField<N extends string = string> = {
  name: N;
  label: string;
  hint?: string;
  placeholder?: string;
  /** text by default; a secret field is always a password input. */
  input?: "text" | "url" | "number" | "select";
  /** For `select`: [value, label]. */
  options?: readonly (readonly [string, string])[];
};

export type ViewField = {
  schema: z.ZodType;
  /** How the dashboard's channel list names it ("routing key"); absent: not listed there. */
  label?: string;
};
export type ViewFields = Record<string, ViewField>;

type UrlEnvKey = { [K in keyof Env]-?: Env[K] extends string ? K : never }[keyof Env];
export type ApiUrlSetting = { env: UrlEnvKey; default: string; what: string };

export type SendInput = {
  channel: { id: string; name: string; type: string; config: Record<string, unknown> };
  /** The channel's opened secrets. */
  secrets: Record<string, string>;
  message: AlertMessage;
  /** Stable across retries of one delivery: receivers de-duplicate on it. */
  deliveryId: string;
};

/** A sender resolves when the provider accepted the message and throws DeliveryError otherwise. */
export type SendOutcome = { httpStatus: number | null; response: string | null; skipped?: string };
export type Sender = (input: SendInput) => Promise<SendOutcome>;

/** Keeps a provider's literal type and field names for the registry's derived types. */
export function defineProvider<const T extends string, S extends z.ZodRawShape, V extends ViewFields>(p: ChannelProvider<T, S, V>): ChannelProvider<T, S, V> {
  return p;
}

/**
 * Where a provider's API is: the channel's own base URL (customer-given, so SSRF-guarded) or
 * the install's setting from the environment (the operator's, trusted).
 */
export function endpointOf(custom: unknown, setting: ApiUrlSetting): { base: string; guard: boolean } {
  if (typeof custom === "string" && custom) return { base: custom.replace(/\/+$/, ""), guard: true };
  return { base: env()[setting.env].replace(/\/+$/, ""), guard: false };
}

/**
 * One stable key per incident, shared by the providers that open and close alerts themselves
 * (PagerDuty's dedup_key, Opsgenie's alias): a DOWN and its recovery name the same alert.
 */
export const alertKeys = (m: AlertMessage) => ({
  incident: `perigee-incident-${m.incidentId ?? m.monitor.id}`,
  degraded: `perigee-degraded-${m.monitor.id}`,
  ssl: `perigee-ssl-${m.monitor.id}-${m.certValidTo ?? ""}`,
  test: `perigee-test-${m.eventId}`,
});
