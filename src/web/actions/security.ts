"use server";
import { revalidatePath } from "next/cache";
import { changePassword } from "@/server/services/auth/change-password";
import { confirmTwoFactor } from "@/server/services/auth/confirm-two-factor";
import { disableTwoFactor } from "@/server/services/auth/disable-two-factor";
import { regenerateRecoveryCodes } from "@/server/services/auth/regenerate-recovery-codes";
import { startTwoFactorEnrollment } from "@/server/services/auth/start-two-factor-enrollment";
import { runAction, type FormState } from "@/web/action";
import { requestMeta } from "@/web/request";
import { requireSession } from "@/web/session";

const val = (fd: FormData, k: string) => String(fd.get(k) ?? "");

export async function startEnrollmentAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    const r = await startTwoFactorEnrollment({ userId: s.user.id });
    return { ok: true, data: { secret: r.secret, qrDataUrl: r.qrDataUrl, uri: r.uri } };
  });
}

export async function confirmEnrollmentAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    const r = await confirmTwoFactor({ userId: s.user.id, currentSessionIdHash: s.idHash, input: { code: val(formData, "code") }, meta: await requestMeta() });
    return { ok: true, message: "Two-factor authentication is on. Your other sessions were signed out.", data: { recoveryCodes: r.recoveryCodes } };
  });
}

export async function disableTwoFactorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    await disableTwoFactor({ userId: s.user.id, currentSessionIdHash: s.idHash, input: { password: val(formData, "password"), code: val(formData, "code") }, meta: await requestMeta() });
    revalidatePath("/settings/security");
    return { ok: true, message: "Two-factor authentication is off. Your other sessions were signed out." };
  });
}

export async function regenerateCodesAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    const r = await regenerateRecoveryCodes({ userId: s.user.id, input: { code: val(formData, "code") }, meta: await requestMeta() });
    return { ok: true, message: "New recovery codes issued; the old ones no longer work.", data: { recoveryCodes: r.recoveryCodes } };
  });
}

export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    await changePassword({
      userId: s.user.id,
      currentSessionIdHash: s.idHash,
      input: { currentPassword: val(formData, "currentPassword"), newPassword: val(formData, "newPassword") },
      meta: await requestMeta(),
    });
    return { ok: true, message: "Password changed. Your other sessions were signed out." };
  });
}
