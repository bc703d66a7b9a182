import { z } from "zod";
import { SCOPE_NAMES } from "../auth/scopes";

export const apiKeyInputSchema = z.object({
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name is at most 100 characters"),
  scopes: z
    .array(z.enum(SCOPE_NAMES as [string, ...string[]], { error: `Each scope must be one of ${SCOPE_NAMES.join(", ")}` }), { error: "Choose at least one scope" })
    .min(1, "Choose at least one scope")
    .transform((s) => [...new Set(s)].sort()),
  expiresAt: z.coerce
    .date({ error: "Expiry must be a date such as 2027-01-31" })
    .refine((d) => d.getTime() > Date.now() + 60_000, "Expiry must be in the future")
    .optional()
    .nullable(),
});
