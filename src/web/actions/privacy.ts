"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/server/auth/session";
import { deleteAccount } from "@/server/services/privacy/delete-account";
import { deleteOrganization } from "@/server/services/privacy/delete-organization";
import { restoreFromLink } from "@/server/services/privacy/restore-from-link";
import { runAction, type FormState } from "@/web/action";
import { requestMeta } from "@/web/request";
import { requireCtx, requireSession } from "@/web/session";

const val = (fd: FormData, k: string) => String(fd.get(k) ?? "");

export async function deleteAccountAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let done = false;
  const r = await runAction(formData, async () => {
    const s = await requireSession();
    await deleteAccount({ userId: s.user.id, input: { password: val(formData, "password") || undefined, code: val(formData, "code") || undefined }, meta: await requestMeta() });
    (await cookies()).delete(SESSION_COOKIE);
    done = true;
  });
  if (done) redirect("/sign-in?deleted=1");
  return r;
}

export async function deleteOrganizationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let done = false;
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    await deleteOrganization({ ctx, input: { confirm: val(formData, "confirm"), password: val(formData, "password") || undefined, code: val(formData, "code") || undefined } });
    done = true;
  });
  // The session no longer lists the organization: the dashboard opens on another one, or onboarding.
  if (done) redirect("/");
  return r;
}

export async function restoreAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const r = await restoreFromLink({ input: { token: val(formData, "token") }, meta: await requestMeta() });
    const what = [r.user ? "Your account" : null, ...r.organizations.map((o) => `"${o.name}"`)].filter(Boolean).join(" and ");
    return { ok: true, message: `${what} ${r.user || r.organizations.length > 1 ? "are" : "is"} restored, as before the deletion.`, data: { signIn: Boolean(r.user) } };
  });
}
