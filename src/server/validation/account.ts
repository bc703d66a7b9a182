import { z } from "zod";
import { emailSchema, personNameSchema } from "./auth";

export const updateProfileSchema = z.object({ name: personNameSchema });

export const emailChangeSchema = z.object({
  email: emailSchema,
  // Re-entered: the address receives password resets, so a borrowed session must not move it.
  password: z.string({ error: "Enter your current password" }).min(1, "Enter your current password"),
});

export const confirmEmailSchema = z.object({ token: z.string().min(10, "This link is incomplete. Open the whole link from the email.").max(100) });
