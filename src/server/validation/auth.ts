import { z } from "zod";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH } from "../auth/password";

export const emailSchema = z
  .string({ error: "Email is required" })
  .trim()
  .min(1, "Email is required")
  .max(254, "Email is too long")
  .pipe(z.email({ error: "Enter a valid email address, like you@example.com" }))
  .transform((v) => v.toLowerCase());

export const passwordSchema = z
  .string({ error: "Password is required" })
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_PASSWORD_BYTES, {
    message: `Password must be at most ${MAX_PASSWORD_BYTES} bytes (bcrypt ignores anything longer); use a shorter passphrase`,
  });

export const personNameSchema = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name must be at most 100 characters");

export const orgNameSchema = z
  .string({ error: "Organization name is required" })
  .trim()
  .min(2, "Organization name must be at least 2 characters")
  .max(80, "Organization name must be at most 80 characters");

export const signUpSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
  organizationName: orgNameSchema,
});
export type SignUpInput = z.input<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  // Length rules are not re-checked at sign-in; the hash comparison decides.
  password: z.string({ error: "Password is required" }).min(1, "Password is required").max(1024, "Password is too long"),
});

export const totpCodeSchema = z
  .string({ error: "Code is required" })
  .trim()
  .transform((v) => v.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^(\d{6}|[a-z0-9]{10})$/i, "Enter the 6-digit code from your app, or a 10-character recovery code"));

export const requestResetSchema = z.object({ email: emailSchema });
export const confirmResetSchema = z.object({
  token: z.string().min(16, "This reset link is invalid").max(200, "This reset link is invalid"),
  password: passwordSchema,
});
export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Current password is required"),
  newPassword: passwordSchema,
});
