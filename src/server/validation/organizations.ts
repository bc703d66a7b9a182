import { z } from "zod";
import { emailSchema, orgNameSchema, passwordSchema, personNameSchema } from "./auth";

export const roleSchema = z.enum(["ADMIN", "EDITOR", "VIEWER"], { error: "Role must be ADMIN, EDITOR or VIEWER" });
export const inviteSchema = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.object({ userId: z.uuid({ error: "Unknown member" }), role: roleSchema });
export const createOrganizationSchema = z.object({ name: orgNameSchema });
export const acceptAsNewUserSchema = z.object({ name: personNameSchema, password: passwordSchema });
