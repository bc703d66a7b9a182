import { z } from "zod";

const countPair = z.object({ confirmed: z.number().int(), pending: z.number().int() }).strict();

/** Counts only: subscribers are personal data. */
export const subscriberCountSchema = z
  .object({ email: countPair, webhook: countPair, total: z.number().int().describe("Confirmed subscribers of every kind") })
  .strict()
  .meta({ id: "StatusSubscriberCount" });
export type SubscriberCount = z.infer<typeof subscriberCountSchema>;
