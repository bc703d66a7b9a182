"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createCheckoutSession } from "@/server/services/billing/create-checkout-session";
import { createPortalSession } from "@/server/services/billing/create-portal-session";
import { setDowngradeKeep } from "@/server/services/billing/set-downgrade-keep";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

/** Upgrade: sends the browser (303) to Stripe Checkout for the plan and interval of the clicked button. */
export async function startCheckout(_prev: FormState, formData: FormData): Promise<FormState> {
  let url: string | null = null;
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    ({ url } = await createCheckoutSession({ ctx, input: { plan: String(formData.get("plan") ?? ""), interval: String(formData.get("interval") ?? "") } }));
  });
  if (url) redirect(url);
  return r;
}

/** Manage billing: sends the browser (303) to Stripe's Customer Portal. */
export async function openPortal(_prev: FormState, formData: FormData): Promise<FormState> {
  let url: string | null = null;
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    ({ url } = await createPortalSession({ ctx }));
  });
  if (url) redirect(url);
  return r;
}

export async function setDowngradeKeepAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const { kept } = await setDowngradeKeep({ ctx, input: { monitorIds: formData.getAll("keep").map(String) } });
    revalidatePath("/settings/billing");
    return { ok: true, message: kept ? `Saved: ${kept} monitor${kept === 1 ? "" : "s"} keep running first if a downgrade pauses monitors.` : "Saved: a downgrade pauses the newest monitors first." };
  });
}
