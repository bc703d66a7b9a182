import { z } from "zod";

/** Re-authentication for a deletion: the password, or a 2FA code when 2FA is on. */
const reauth = {
  password: z.string().max(1024, "Password is too long").optional(),
  code: z.string().max(64, "Code is too long").optional(),
};

export const deleteAccountSchema = z.object(reauth);

export const deleteOrganizationSchema = z.object({
  ...reauth,
  /** The organization's slug, typed out: a deletion is never one stray click. */
  confirm: z.string({ error: "Type the organization's slug to confirm" }).min(1, "Type the organization's slug to confirm").max(100),
});

export const restoreSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "This restore link is not valid.") });
