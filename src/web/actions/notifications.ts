"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createChannel } from "@/server/services/channels/create";
import { deleteChannel } from "@/server/services/channels/delete";
import { sendChannelTest } from "@/server/services/channels/send-test";
import { updateChannel } from "@/server/services/channels/update";
import { ALL_SECRET_FIELDS, CHANNEL_SECRET_FIELDS, CHANNEL_TYPES, FORM_FIELD_NAMES } from "@/server/notifications/providers";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

/** Form → channel input. On edit, an empty secret keeps the stored one; an empty optional field clears it. */
function formToInput(fd: FormData, editing: boolean): Record<string, unknown> {
  const type = String(fd.get("type") ?? "");
  const secrets = (CHANNEL_SECRET_FIELDS as Record<string, readonly string[]>)[type] ?? [];
  const out: Record<string, unknown> = { name: String(fd.get("name") ?? "").trim(), type, isDefault: fd.get("isDefault") === "on" };
  for (const f of FORM_FIELD_NAMES) {
    if (!fd.has(f)) continue;
    const v = String(fd.get(f) ?? "").trim();
    if (v) out[f] = v;
    else if (editing && !secrets.includes(f)) out[f] = null;
  }
  return out;
}

export async function saveChannelAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    const id = String(formData.get("channelId") ?? "");
    if (!(CHANNEL_TYPES as readonly string[]).includes(String(formData.get("type")))) {
      return { message: "Choose a channel type.", fields: { type: ["Choose a channel type"] } };
    }
    const c = id ? await updateChannel({ ctx, channelId: id, patch: formToInput(formData, true) }) : await createChannel({ ctx, input: formToInput(formData, false) });
    revalidatePath("/notifications");
    return {
      ok: true,
      message: id ? `Saved "${c.name}".` : `Channel "${c.name}" added.`,
      data: c.signingSecret ? { signingSecret: c.signingSecret, channelName: c.name } : undefined,
    };
  });
  // runAction echoes what was typed so the form keeps it on error; a webhook or Slack URL and
  // a routing key are credentials, so the user types them again instead.
  if (r.values) r.values = Object.fromEntries(Object.entries(r.values).filter(([k]) => !ALL_SECRET_FIELDS.has(k)));
  return r;
}

export async function deleteChannelAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const r = await deleteChannel({ ctx, channelId: String(formData.get("channelId") ?? "") });
    revalidatePath("/notifications");
    const moved = r.monitorsNowOnDefaults.length;
    // The channel's row (and this form) is gone after the refresh, so the page itself says
    // what happened. Only a count and a flag travel in the URL, never text a link could forge.
    redirect(`/notifications?deleted=1&moved=${moved}${moved && r.defaultChannelCount === 0 ? "&nodefault=1" : ""}`);
  });
}

export async function testChannelAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const r = await sendChannelTest({ ctx, channelId: String(formData.get("channelId") ?? "") });
    revalidatePath("/notifications");
    const answer = r.httpStatus ? ` — the receiver answered HTTP ${r.httpStatus}${r.response ? `: ${r.response.slice(0, 300)}` : ""}` : "";
    return r.ok
      ? { ok: true, message: `Delivered in ${r.latencyMs} ms${answer || (r.response ? `: ${r.response.slice(0, 300)}` : ".")}` }
      : { message: `Not delivered after ${r.latencyMs} ms: ${r.error}${r.error?.includes(`HTTP ${r.httpStatus}`) ? "" : answer}` };
  });
}
