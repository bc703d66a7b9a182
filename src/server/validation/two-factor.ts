import { z } from "zod";
import { totpCodeSchema } from "./auth";

export const confirmTwoFactorSchema = z.object({ code: totpCodeSchema });
export const disableTwoFactorSchema = z.object({
  password: z.string({ error: "Password is required" }).min(1, "Password is required"),
  code: totpCodeSchema,
});
export const twoFactorSignInSchema = z.object({ code: totpCodeSchema });
