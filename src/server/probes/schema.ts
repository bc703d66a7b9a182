import { z } from "zod";
import { ERROR_CLASSES } from "../checks/types";

const ms = z.number().min(0).max(3_600_000);

/** What a probe POSTs to /api/probe/results. */
export const probeResultsSchema = z.object({
  batchId: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, "batchId must be 8-100 URL-safe characters"),
  results: z
    .array(
      z.object({
        monitorId: z.uuid(),
        version: z.number().int().min(1),
        region: z.string().regex(/^[a-z0-9-]{1,32}$/),
        scheduledAt: z.iso.datetime(),
        startedAt: z.iso.datetime(),
        result: z.object({
          outcome: z.enum(["up", "degraded", "down"]),
          statusCode: z.number().int().min(0).max(999).optional(),
          errorClass: z.enum(ERROR_CLASSES).optional(),
          message: z.string().max(1000).optional(),
          timings: z.object({ dnsMs: ms.optional(), connectMs: ms.optional(), tlsMs: ms.optional(), ttfbMs: ms.optional(), totalMs: ms }),
          certificate: z
            .object({
              subject: z.string().max(500),
              issuer: z.string().max(500),
              validFrom: z.string().max(40),
              validTo: z.string().max(40),
              daysRemaining: z.number().int(),
              authorized: z.boolean(),
              authorizationError: z.string().max(500).optional(),
            })
            .optional(),
          remoteAddress: z.string().max(64).optional(),
        }),
      }),
    )
    .min(1)
    .max(1000),
});
