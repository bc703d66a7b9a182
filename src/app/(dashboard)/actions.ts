"use server";
import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { SESSION_COOKIE } from "@/server/auth/session";
import { switchOrganization } from "@/server/services/organizations/switch";
import { runAction } from "@/web/action";
import { requireSession } from "@/web/session";

export async function switchOrganizationAction(formData: FormData): Promise<void> {
  await runAction(formData, async () => {
    const s = await requireSession();
    const token = (await cookies()).get(SESSION_COOKIE)?.value;
    await switchOrganization({ userId: s.user.id, sessionToken: token ?? "", organizationId: String(formData.get("organizationId") ?? "") });
  });
  revalidatePath("/", "layout");
}
