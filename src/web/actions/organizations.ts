"use server";
import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/server/auth/session";
import { createOrganization } from "@/server/services/organizations/create-organization";
import { switchOrganization } from "@/server/services/organizations/switch";
import { runAction, type FormState } from "@/web/action";
import { requestMeta } from "@/web/request";
import { requireSession } from "@/web/session";

export async function createOrganizationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let ok = false;
  const r = await runAction(formData, async () => {
    const s = await requireSession();
    const org = await createOrganization({
      actor: { userId: s.user.id, email: s.user.email, isAdmin: s.user.isAdmin },
      input: { name: String(formData.get("name") ?? "") },
      meta: await requestMeta(),
    });
    await switchOrganization({ userId: s.user.id, sessionToken: (await cookies()).get(SESSION_COOKIE)?.value ?? "", organizationId: org.id });
    ok = true;
  });
  if (ok) redirect("/monitors");
  return r;
}

export async function switchOrganizationAction(formData: FormData): Promise<void> {
  await runAction(formData, async () => {
    const s = await requireSession();
    const token = (await cookies()).get(SESSION_COOKIE)?.value;
    await switchOrganization({ userId: s.user.id, sessionToken: token ?? "", organizationId: String(formData.get("organizationId") ?? "") });
  });
  revalidatePath("/", "layout");
}
