import { z } from "zod";

/**
 * One schema for a notification channel, shared by the dashboard form, the REST API and the
 * OpenAPI document. The shape is flat: `name`, `type`, `isDefault`, and the type's own fields
 * beside them. Fields marked secret are write-only: stored sealed, returned masked.
 */
export const CHANNEL_TYPES = ["email", "slack", "sms", "pagerduty", "telegram", "webhook"] as const;

/** Which input fields are secrets (never returned; an empty or masked value keeps the stored one). */
export const CHANNEL_SECRET_FIELDS = {
  email: [],
  slack: ["url"],
  sms: ["authToken"],
  pagerduty: ["routingKey"],
  telegram: ["botToken"],
  webhook: ["url"],
} as const satisfies Record<(typeof CHANNEL_TYPES)[number], readonly string[]>;

export const MASK = "••••••";

const httpUrl = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`)
    .max(2048, `${what} is too long`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === "https:" || u.protocol === "http:";
      } catch {
        return false;
      }
    }, `${what} must be a full http(s) URL such as https://example.com/hook`);

const baseUrl = httpUrl("Base URL").optional();

const isEmail = (v: string) => z.email().safeParse(v).success;
const emailList = z
  .union([z.string(), z.array(z.string())], { error: "Give one or more email addresses" })
  .transform((v) => (Array.isArray(v) ? v : v.split(/[,;\s]+/)).map((s) => s.trim()).filter(Boolean))
  .refine((v) => v.length > 0, "Give at least one email address")
  .refine((v) => v.length <= 20, "At most 20 recipients")
  .refine((v) => v.every(isEmail), { error: (iss) => `Not an email address: ${(iss.input as string[]).find((x) => !isEmail(x)) ?? ""} (expected e.g. ops@example.com)` });

const e164 = z
  .string({ error: "Phone number is required" })
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, "Use the international format with country code, e.g. +14155550123");

const common = {
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name is at most 100 characters"),
  isDefault: z.boolean().default(false),
};

export const channelInputSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ ...common, type: z.literal("email"), to: emailList }).strict(),
    z.object({ ...common, type: z.literal("slack"), url: httpUrl("Slack webhook URL") }).strict(),
    z
      .object({
        ...common,
        type: z.literal("sms"),
        to: e164,
        /** Optional: the install's TWILIO_* settings are used when absent. */
        accountSid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, "Account SID looks like AC followed by 32 hex characters").optional(),
        authToken: z.string().trim().min(8, "Auth token looks too short").max(128).optional(),
        from: e164.optional(),
        baseUrl,
      })
      .strict()
      // The install's Twilio credentials only ever go to the install's TWILIO_API_URL.
      .refine((v) => !v.baseUrl || (v.accountSid && v.authToken), {
        path: ["baseUrl"],
        message: "A custom Twilio base URL needs this channel's own account SID and auth token",
      }),
    z
      .object({
        ...common,
        type: z.literal("pagerduty"),
        routingKey: z.string({ error: "Routing key is required" }).trim().regex(/^[A-Za-z0-9]{20,64}$/, "Routing key is the 32-character integration key of an Events API v2 integration"),
        baseUrl,
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal("telegram"),
        botToken: z.string({ error: "Bot token is required" }).trim().regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, "Bot token looks like 123456789:AA… (from @BotFather)"),
        chatId: z.union([z.string(), z.number()], { error: "Chat id is required" }).transform(String).pipe(z.string().trim().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, "Chat id is a number (e.g. -1001234567890) or @channelname")),
        baseUrl,
      })
      .strict(),
    z.object({ ...common, type: z.literal("webhook"), url: httpUrl("Webhook URL") }).strict(),
  ],
  { error: (iss) => (iss.code === "invalid_union" ? `Type must be one of ${CHANNEL_TYPES.join(", ")}` : undefined) },
);

export type ChannelInput = z.input<typeof channelInputSchema>;
export type ChannelData = z.output<typeof channelInputSchema>;

/** PATCH: any subset; merged onto the stored channel and validated whole. */
export const channelPatchSchema = z.record(z.string(), z.unknown());

/** What every channel answers to a reader: its settings with secrets masked. */
export const channelViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(CHANNEL_TYPES),
  isDefault: z.boolean(),
  to: z.union([z.string(), z.array(z.string())]).optional(),
  url: z.string().optional().describe("Masked: write-only"),
  accountSid: z.string().optional(),
  authToken: z.string().optional().describe("Masked: write-only"),
  from: z.string().optional(),
  routingKey: z.string().optional().describe("Masked: write-only"),
  botToken: z.string().optional().describe("Masked: write-only"),
  chatId: z.string().optional(),
  baseUrl: z.string().optional(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastDeliveredAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Only in the answer to a create of a webhook channel: its signing secret, shown once. */
  signingSecret: z.string().optional(),
}).strict();
export type ChannelView = z.infer<typeof channelViewSchema>;
