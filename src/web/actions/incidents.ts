"use server";
import { revalidatePath } from "next/cache";
import { acknowledgeIncident } from "@/server/services/incidents/acknowledge";
import { addIncidentNote } from "@/server/services/incidents/add-note";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

function revalidateIncident(id: string) {
  revalidatePath("/incidents");
  revalidatePath(`/incidents/${id}`);
}

export async function acknowledgeIncidentAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const incidentId = String(formData.get("incidentId") ?? "");
    await acknowledgeIncident({ ctx, incidentId });
    revalidateIncident(incidentId);
    return { ok: true, message: "Acknowledged." };
  });
}

export async function addIncidentNoteAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const incidentId = String(formData.get("incidentId") ?? "");
    await addIncidentNote({ ctx, incidentId, input: { body: String(formData.get("body") ?? "") } });
    revalidateIncident(incidentId);
    return { ok: true, message: "Note added.", data: { at: Date.now() } };
  });
}
