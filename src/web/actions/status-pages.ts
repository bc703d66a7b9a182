"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { Invalid } from "@/server/errors";
import { createStatusIncident } from "@/server/services/status-incidents/create";
import { postStatusIncidentUpdate } from "@/server/services/status-incidents/post-update";
import { publishStatusIncident } from "@/server/services/status-incidents/publish";
import { createStatusMaintenance } from "@/server/services/status-maintenances/create";
import { deleteStatusMaintenance } from "@/server/services/status-maintenances/delete";
import { createStatusPage } from "@/server/services/status-pages/create";
import { getStatusPage } from "@/server/services/status-pages/get";
import { replaceStatusComponents } from "@/server/services/status-pages/replace-components";
import { updateStatusPage } from "@/server/services/status-pages/update";
import { COMPONENT_STATUSES, type ComponentStatus } from "@/server/status/model";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";
import { zonedToUtc } from "@/web/zoned-time";

const text = (fd: FormData, k: string) => {
  const v = fd.get(k);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
};

/** The settings fields shared by the new-page form and the editor's settings form. */
function settingsFrom(fd: FormData) {
  return {
    name: text(fd, "name") ?? "",
    slug: text(fd, "slug") ?? "",
    description: text(fd, "description") ?? null,
    logoUrl: text(fd, "logoUrl") ?? null,
    brandColor: text(fd, "brandColor") ?? "#2563eb",
    timeZone: text(fd, "timeZone") ?? "UTC",
    language: text(fd, "language") ?? "en",
    access: text(fd, "access") ?? "public",
    // Empty keeps the stored password (a password is never shown back).
    password: (fd.get("password") as string | null) || undefined,
    autoPublishIncidents: fd.get("autoPublishIncidents") === "on",
    published: fd.has("published__present") ? fd.get("published") === "on" : undefined,
  };
}

function revalidatePage(pageId: string) {
  revalidatePath("/status-pages");
  revalidatePath(`/status-pages/${pageId}`);
  revalidatePath(`/status-pages/${pageId}/incidents`);
  revalidatePath("/incidents");
}

export async function createStatusPageAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let goTo: string | null = null;
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    const page = await createStatusPage({ ctx, input: { ...settingsFrom(formData), components: formData.getAll("monitorIds").map((id) => ({ monitorId: String(id) })) } });
    revalidatePath("/status-pages");
    goTo = `/status-pages/${page.id}`;
  });
  if (goTo) redirect(goTo);
  return r;
}

export async function updateStatusPageSettingsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    await updateStatusPage({ ctx, pageId, input: settingsFrom(formData) });
    revalidatePage(pageId);
    return { ok: true, message: "Settings saved." };
  });
}

export async function setCustomDomainAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    const customDomain = text(formData, "customDomain") ?? null;
    await updateStatusPage({ ctx, pageId, input: { customDomain } });
    revalidatePage(pageId);
    return { ok: true, message: customDomain ? "Domain saved: add the TXT record below." : "Custom domain removed." };
  });
}

type Row = { monitorId: string; name?: string; sectionName?: string | null; showResponseTime: boolean };

/**
 * The components form posts every row (c{i}_monitorId, c{i}_name, c{i}_section, c{i}_rt) and
 * the button that was pressed (`op`): save, add, remove:i, up:i, down:i. Every op saves the
 * rows as typed, so moving a row keeps unsaved edits; no drag and drop, no script needed.
 */
export async function saveComponentsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    const count = Number(formData.get("count") ?? 0);
    let rows: Row[] = [];
    for (let i = 0; i < Math.min(count, 200); i++) {
      const monitorId = text(formData, `c${i}_monitorId`);
      if (!monitorId) continue;
      rows.push({ monitorId, name: text(formData, `c${i}_name`), sectionName: text(formData, `c${i}_section`) ?? null, showResponseTime: formData.get(`c${i}_rt`) === "on" });
    }
    const [op, arg] = String(formData.get("op") ?? "save").split(":");
    const i = Number(arg);
    if (op === "add") {
      const monitorId = text(formData, "addMonitorId");
      if (!monitorId) throw new Invalid("Choose a monitor to add.", { addMonitorId: ["Choose a monitor to add"] });
      rows.push({ monitorId, sectionName: rows.at(-1)?.sectionName ?? null, showResponseTime: false });
    } else if (op === "remove" && rows[i]) {
      rows = rows.filter((_, n) => n !== i);
    } else if ((op === "up" && i > 0) || (op === "down" && i < rows.length - 1)) {
      const j = op === "up" ? i - 1 : i + 1;
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    try {
      await replaceStatusComponents({ ctx, pageId, input: { components: rows } });
    } catch (e) {
      // "components.3.name" → "<monitorId>.name", so the message lands beside the right row.
      if (e instanceof Invalid && e.fields) {
        const fields: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(e.fields)) {
          const m = /^components\.(\d+)\.(\w+)$/.exec(k);
          fields[m && rows[Number(m[1])] ? `${rows[Number(m[1])]!.monitorId}.${m[2]}` : k] = v;
        }
        throw new Invalid(e.message, fields);
      }
      throw e;
    }
    revalidatePage(pageId);
    return { ok: true, message: op === "add" ? "Component added." : op === "remove" ? "Component removed." : op === "save" ? "Components saved." : "Order saved." };
  });
}

/** The per-component selects of the incident forms: "" not affected, "auto" follows its monitor, or a shown status. */
async function affectedComponents(fd: FormData, pageId: string, ctx: Awaited<ReturnType<typeof requireCtx>>) {
  const page = await getStatusPage({ ctx, pageId });
  const out: { componentId: string; status: ComponentStatus | null }[] = [];
  for (const c of page.components) {
    const v = String(fd.get(`comp_${c.id}`) ?? "");
    if (v === "auto") out.push({ componentId: c.id, status: null });
    else if ((COMPONENT_STATUSES as readonly string[]).includes(v)) out.push({ componentId: c.id, status: v as ComponentStatus });
  }
  return out;
}

export async function createStatusIncidentAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    const publish = formData.get("publish") !== "0";
    await createStatusIncident({
      ctx,
      pageId,
      input: {
        title: text(formData, "title") ?? "",
        impact: text(formData, "impact") ?? "minor",
        status: text(formData, "status") ?? "investigating",
        body: (formData.get("body") as string | null) ?? "",
        components: await affectedComponents(formData, pageId, ctx),
        publish,
      },
    });
    revalidatePage(pageId);
    // `at` lets the form start empty again after a success.
    return { ok: true, message: publish ? "Incident published." : "Draft saved; publish it when ready.", data: { at: Date.now() } };
  });
}

export async function publishStatusIncidentAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    await publishStatusIncident({ ctx, pageId, incidentId: String(formData.get("incidentId") ?? "") });
    revalidatePage(pageId);
    return { ok: true, message: "Published." };
  });
}

/** The update and the affected components' shown status, in one transaction (subscribers' notice carries both). */
export async function postStatusIncidentUpdateAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    const incidentId = String(formData.get("incidentId") ?? "");
    const status = text(formData, "status") ?? "";
    const body = (formData.get("body") as string | null) ?? "";
    if (!body.trim()) throw new Invalid("Write what happened", { body: ["Write what happened"] });
    await postStatusIncidentUpdate({ ctx, pageId, incidentId, input: { status, body, components: await affectedComponents(formData, pageId, ctx) } });
    revalidatePage(pageId);
    return { ok: true, message: status === "resolved" ? "Resolved." : "Update posted.", data: { at: Date.now() } };
  });
}

export async function createStatusMaintenanceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    const tz = text(formData, "timeZone") ?? "UTC";
    const when = (k: string) => {
      const v = text(formData, k);
      return v ? zonedToUtc(v, tz) : undefined;
    };
    await createStatusMaintenance({
      ctx,
      pageId,
      input: {
        title: text(formData, "title") ?? "",
        message: (formData.get("message") as string | null) ?? "",
        startsAt: when("startsAt"),
        endsAt: when("endsAt"),
        componentIds: formData.getAll("componentIds").map(String),
      },
    });
    revalidatePage(pageId);
    return { ok: true, message: "Maintenance scheduled; its components' alerts are silenced during the window.", data: { at: Date.now() } };
  });
}

export async function deleteStatusMaintenanceAction(formData: FormData): Promise<void> {
  await runAction(formData, async () => {
    const ctx = await requireCtx();
    const pageId = String(formData.get("pageId") ?? "");
    await deleteStatusMaintenance({ ctx, pageId, maintenanceId: String(formData.get("maintenanceId") ?? "") });
    revalidatePage(pageId);
  });
}
