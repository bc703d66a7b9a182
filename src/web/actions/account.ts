"use server";
import { revalidatePath } from "next/cache";
import { confirmEmail } from "@/server/services/account/confirm-email";
import { requestEmailChange } from "@/server/services/account/request-email-change";
import { resendConfirmation } from "@/server/services/account/resend-confirmation";
import { updateProfile } from "@/server/services/account/update-profile";
import { runAction, type FormState } from "@/web/action";
import { requestMeta } from "@/web/request";
import { requireSession } from "@/web/session";

const val = (fd: FormData, k: string) => String(fd.get(k) ?? "");

export async function updateProfileAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    await updateProfile({ userId: s.user.id, input: { name: val(formData, "name") }, meta: await requestMeta() });
    revalidatePath("/", "layout");
    return { ok: true, message: "Name saved." };
  });
}

export async function requestEmailChangeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    const r = await requestEmailChange({ userId: s.user.id, input: { email: val(formData, "email"), password: val(formData, "password") }, meta: await requestMeta() });
    return { ok: true, message: r.message };
  });
}

export async function resendConfirmationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const s = await requireSession();
    const r = await resendConfirmation({ userId: s.user.id, meta: await requestMeta() });
    return { ok: true, message: `We sent a new confirmation link to ${r.email}. It works for 24 hours.` };
  });
}

/** From the emailed link; needs no session (the token is the proof). */
export async function confirmEmailAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const r = await confirmEmail({ input: { token: val(formData, "token") }, meta: await requestMeta() });
    revalidatePath("/", "layout");
    return {
      ok: true,
      message: r.purpose === "change" ? `Your account's email address is now ${r.email}. We told the previous address.` : `${r.email} is confirmed. Alert emails and invitations are on.`,
    };
  });
}
