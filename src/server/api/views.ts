import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../errors";
import { channelViewSchema } from "../notifications/channel-schema";

/**
 * Response schemas shared by the REST operations. Every object is strict: the API tests run
 * each real answer through its operation's declared schema, so a field added to a view and
 * not to its schema fails there.
 */
export const isoTime = z.string().describe("ISO 8601 time");

export const pageOf = (item: z.ZodType, id: string) =>
  z
    .object({ data: z.array(item), nextCursor: z.string().nullable() })
    .strict()
    .meta({ id });

/** A complete list (small collections, such as an organization's status pages): no cursor. */
export const listOf = (item: z.ZodType, id: string) =>
  z
    .object({ data: z.array(item) })
    .strict()
    .meta({ id });

export const errorSchema = z
  .object({
    error: z
      .object({
        code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
        message: z.string(),
        details: z.record(z.string(), z.array(z.string())).optional().describe("Field → messages, for 400"),
        limit: z
          .object({
            name: z.string().describe("The limit: monitors, minIntervalSeconds, regions, statusPages or members"),
            plan: z.string().describe("The plan in force"),
            allowed: z.number().int().nullable(),
            current: z.number().int().optional(),
            requested: z.number().int().optional(),
            upgradePlan: z.string().nullable().describe("The cheapest plan that allows it; null when none does or the operator set the figure"),
            upgradeUrl: z.url(),
          })
          .strict()
          .optional()
          .describe("For 402 plan_limit_reached"),
        requestId: z.string(),
        docs: z.url().describe("This code's entry in the API reference"),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "Error" });

export const resultSchema = z
  .object({
    at: isoTime,
    region: z.string(),
    outcome: z.enum(["up", "degraded", "down"]),
    errorClass: z.string().nullable(),
    statusCode: z.number().nullable(),
    totalMs: z.number(),
    dnsMs: z.number().nullable(),
    connectMs: z.number().nullable(),
    tlsMs: z.number().nullable(),
    ttfbMs: z.number().nullable(),
  })
  .strict()
  .meta({ id: "CheckResult" });

export const uptimeSchema = z
  .object({
    window: z.enum(["24h", "7d", "30d", "90d"]),
    checks: z.number(),
    successes: z.number(),
    uptimePercent: z.number().nullable(),
    latency: z.object({ avg: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }).strict(),
  })
  .strict()
  .meta({ id: "Uptime" });

/** The channel services' own view schema, named for the document. */
export const channelView = channelViewSchema.meta({ id: "Channel" });
