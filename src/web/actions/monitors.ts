"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { Invalid } from "@/server/errors";
import { kindOf } from "@/server/monitors/kinds";
import { createMonitor } from "@/server/services/monitors/create";
import { deleteMonitors } from "@/server/services/monitors/delete";
import { setMonitorsPaused } from "@/server/services/monitors/set-paused";
import { testMonitorNow } from "@/server/services/monitors/test-now";
import { updateMonitor } from "@/server/services/monitors/update";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

const COMMON_NUMBERS = ["intervalSeconds", "timeoutMs", "confirmations", "recoveries", "quorum", "reminderMax", "recoveryDelaySeconds"];
const MASK = "••••••";

/**
 * FormData from the monitor form → the monitor schema's input, read by the chosen kind's
 * fieldset. Only fields the form rendered are sent; a rendered field left empty is sent as
 * undefined so that an edit can clear it (the update service merges the patch over the
 * stored monitor).
 */
function formToInput(fd: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const text = (k: string) => {
    const v = fd.get(k);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  out.name = text("name") ?? "";
  out.type = text("type");
  for (const k of COMMON_NUMBERS) if (fd.has(k)) out[k] = text(k);
  if (fd.has("paused__present")) out.paused = fd.get("paused") === "on";
  const fields = kindOf(String(out.type ?? ""))?.form.fields ?? [];
  for (const f of fields) {
    switch (f.control) {
      case "checkbox":
        if (fd.has(`${f.name}__present`)) out[f.name] = fd.get(f.name) === "on";
        break;
      case "password": {
        // Secrets are taken as typed (spaces may matter); an empty one on edit means "keep the
        // stored value", so it is left out of the patch.
        const v = fd.get(f.name);
        if (typeof v === "string" && v !== "") out[f.name] = v;
        break;
      }
      case "headers":
        if (fd.has("headers__present")) {
          const names = fd.getAll("headerName").map(String);
          const values = fd.getAll("headerValue").map(String);
          out.headers = Object.fromEntries(names.map((n, i) => [n.trim(), values[i] ?? ""] as const).filter(([n]) => n));
        }
        break;
      case "codes":
        if (fd.has(f.name)) {
          const codes = text(f.name)
            ?.split(/[\s,]+/)
            .filter(Boolean);
          const bad = codes?.find((c) => !/^\d{3}(-\d{3})?$/.test(c));
          // The schema's union only says "Invalid input"; name the entry that is wrong.
          if (bad) throw new Invalid(`"${bad}" is not a status code`, { [f.name]: [`"${bad}" is not a status code; use codes like 200 or ranges like 200-299, separated by commas`] });
          out[f.name] = codes;
        }
        break;
      case "list":
        if (fd.has(f.name))
          out[f.name] = (text(f.name) ?? "")
            .split(/[\n,]+/)
            .map((x) => x.trim())
            .filter(Boolean);
        break;
      default:
        if (fd.has(f.name)) out[f.name] = text(f.name);
    }
  }
  // A field hidden by another's value is cleared: a body left over from an earlier POST would make a GET invalid.
  for (const f of fields) {
    if (!f.when || !(f.when.field in out) || f.control === "password") continue;
    const v = String(out[f.when.field] ?? "");
    if ((f.when.in && !f.when.in.includes(v)) || f.when.notIn?.includes(v)) out[f.name] = undefined;
  }
  if (fd.has("regions__present")) out.regions = fd.getAll("regions").map(String);
  if (fd.has("channels__present")) {
    // Default routing is null (the organization's default channels); chosen is a list, maybe empty.
    out.channelIds = fd.get("channelRouting") === "custom" ? fd.getAll("channelIds").map(String) : null;
    // An emptied reminder interval turns reminders off.
    out.reminderIntervalMinutes = text("reminderIntervalMinutes") ?? null;
  }
  return out;
}

export async function saveMonitorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let goTo: string | null = null;
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    const id = String(formData.get("monitorId") ?? "");
    const input = formToInput(formData);
    const m = id ? await updateMonitor({ ctx, monitorId: id, patch: input }) : await createMonitor({ ctx, input });
    revalidatePath("/monitors");
    goTo = `/monitors/${m.id}`;
  });
  if (goTo) redirect(goTo);
  return r;
}

export async function testMonitorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction(formData, async () => {
    const ctx = await requireCtx();
    const id = String(formData.get("monitorId") ?? "") || undefined;
    const input = formToInput(formData);
    // Masked header values are not real values: when all are masked, test with the stored headers.
    const headers = Object.values((input.headers ?? {}) as Record<string, string>);
    if (id && headers.length > 0 && headers.every((v) => v === MASK)) delete input.headers;
    const result = await testMonitorNow({ ctx, input, monitorId: id });
    return { ok: true, data: { result } };
  });
}

export async function bulkAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const r = await runAction(formData, async () => {
    const ctx = await requireCtx();
    const ids = formData.getAll("ids").map(String);
    const op = String(formData.get("op") ?? "");
    if (!ids.length) return { message: "Select at least one monitor first." };
    const n = `${ids.length} monitor${ids.length === 1 ? "" : "s"}`;
    if (op === "pause" || op === "resume") {
      await setMonitorsPaused({ ctx, monitorIds: ids, paused: op === "pause" });
      return { ok: true, message: `${op === "pause" ? "Paused" : "Resumed"} ${n}.` };
    }
    if (op === "delete") {
      await deleteMonitors({ ctx, monitorIds: ids });
      return { ok: true, message: `Deleted ${n}.` };
    }
    return { message: "Unknown action." };
  });
  revalidatePath("/monitors");
  return { ok: r.ok, message: r.message };
}

export async function monitorOpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  let goTo: string | null = null;
  const state = await runAction(formData, async () => {
    const ctx = await requireCtx();
    const id = String(formData.get("monitorId") ?? "");
    const op = String(formData.get("op") ?? "");
    if (op === "pause" || op === "resume") await setMonitorsPaused({ ctx, monitorIds: [id], paused: op === "pause" });
    if (op === "delete") {
      await deleteMonitors({ ctx, monitorIds: [id] });
      goTo = "/monitors";
    }
  });
  revalidatePath("/monitors");
  if (goTo && state.ok) redirect(goTo);
  return state;
}
