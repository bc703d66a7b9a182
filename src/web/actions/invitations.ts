"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/server/auth/session";
import { acceptInvitation } from "@/server/services/organizations/accept-invitation";
import { acceptInvitationAsNewUser } from "@/server/services/organizations/accept-invitation-as-new-user";
import { switchOrganization } from "@/server/services/organizations/switch";
import { runAction, type FormState } from "@/web/action";
import { requestMeta } from "@/web/request";
import { cookieOptions, requireSession } from "@/web/session";

export async function acceptAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let done = false;
  const r = await runAction(formData, async () => {
    const s = await requireSession();
    const token = String(formData.get("token") ?? "");
    const { organizationId } = await acceptInvitation({ token, userId: s.user.id, meta: await requestMeta() });
    await switchOrganization({ userId: s.user.id, sessionToken: (await cookies()).get(SESSION_COOKIE)?.value ?? "", organizationId });
    done = true;
  });
  if (done) redirect("/monitors");
  return r;
}

export async function acceptAsNewUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let done = false;
  const r = await runAction(formData, async () => {
    const res = await acceptInvitationAsNewUser({
      token: String(formData.get("token") ?? ""),
      input: { name: String(formData.get("name") ?? ""), password: String(formData.get("password") ?? "") },
      meta: await requestMeta(),
    });
    (await cookies()).set(SESSION_COOKIE, res.session.token, cookieOptions(res.session.expiresAt));
    done = true;
  });
  if (done) redirect("/monitors");
  return r;
}
