"use server";
import { revalidatePath } from "next/cache";
import { createApiKey } from "@/server/services/api-keys/create";
import { revokeApiKey } from "@/server/services/api-keys/revoke";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

export async function createApiKeyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const expires = String(formData.get("expiresAt") ?? "").trim();
    const k = await createApiKey({ ctx, input: { name: String(formData.get("name") ?? ""), scopes: formData.getAll("scopes").map(String), expiresAt: expires || undefined } });
    revalidatePath("/settings/api-keys");
    // The key goes back to this browser once; it is not stored anywhere readable.
    return { ok: true, message: `Key "${k.name}" created. Copy it now: you won't see it again.`, data: { key: k.key, prefix: k.prefix } };
  });
}

export async function revokeApiKeyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    await revokeApiKey({ ctx, keyId: String(formData.get("id") ?? "") });
    revalidatePath("/settings/api-keys");
    return { ok: true, message: "Key revoked. Requests with it are refused from now on." };
  });
}
