import { z } from "zod";
import { httpUrl } from "../notifications/providers/fields";
import { emailSchema } from "./auth";

const componentIds = z
  .array(z.uuid({ error: "Unknown component" }))
  .max(200, "Too many components")
  .default([]);

/** The public sign-up form: an address and, optionally, the components to hear about (none = all). */
export const subscribeSchema = z.object({ email: emailSchema, componentIds });

/** An EDITOR's webhook subscriber: its URL (SSRF-guarded now and at every send) and components. */
export const webhookSubscriberSchema = z.object({ url: httpUrl("Webhook URL"), componentIds });

/** Links carry the token; anything else is not one of ours. */
export const tokenSchema = z.object({ token: z.string({ error: "The link is incomplete" }).min(1, "The link is incomplete").max(200, "The link is not valid") });
