"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { changeRole } from "@/server/services/organizations/change-role";
import { inviteMember } from "@/server/services/organizations/invite-member";
import { leaveOrganization } from "@/server/services/organizations/leave-organization";
import { removeMember } from "@/server/services/organizations/remove-member";
import { revokeInvitation } from "@/server/services/organizations/revoke-invitation";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

const val = (fd: FormData, k: string) => String(fd.get(k) ?? "");

export async function inviteAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const { invitation } = await inviteMember({ ctx, input: { email: val(formData, "email"), role: val(formData, "role") } });
    revalidatePath("/settings/members");
    return { ok: true, message: `Invitation sent to ${invitation.email}. The link works for 7 days.` };
  });
}

export async function changeRoleAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    await changeRole({ ctx, input: { userId: val(formData, "userId"), role: val(formData, "role") } });
    revalidatePath("/settings/members");
    return { ok: true, message: "Role updated." };
  });
}

export async function removeMemberAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    await removeMember({ ctx, userId: val(formData, "userId") });
    revalidatePath("/settings/members");
    return { ok: true, message: "Member removed and signed out." };
  });
}

export async function revokeInvitationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    await revokeInvitation({ ctx, invitationId: val(formData, "invitationId") });
    revalidatePath("/settings/members");
    return { ok: true, message: "Invitation withdrawn." };
  });
}

export async function leaveAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    await leaveOrganization({ ctx });
  });
  if (r.ok) redirect("/");
  return r;
}
