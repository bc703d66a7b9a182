"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createMonitor } from "@/server/services/monitors/create";
import { deleteMonitors } from "@/server/services/monitors/delete";
import { setMonitorsPaused } from "@/server/services/monitors/set-paused";
import { testMonitorNow } from "@/server/services/monitors/test-now";
import { updateMonitor } from "@/server/services/monitors/update";
import { runAction, type FormState } from "@/web/action";
import { requireCtx } from "@/web/session";

/** FormData from the monitor form → the monitor schema's input (only fields that were rendered). */
function formToInput(fd: FormData): Record<string, unknown> {
  const s = (k: string) => {
    const v = fd.get(k);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  const has = (k: string) => fd.has(k);
  put("name", s("name") ?? "");
  put("type", s("type"));
  for (const k of ["url", "host", "method", "body", "authType", "authUsername", "authPassword", "authToken", "keyword", "jsonPath", "jsonExpected", "jsonMatch", "hostname", "recordType", "resolver"]) put(k, s(k));
  for (const k of ["port", "degradedAboveMs", "sslExpiryDays", "expiryThresholdDays", "heartbeatGraceSeconds", "intervalSeconds", "timeoutMs", "confirmations", "recoveries", "quorum"]) put(k, s(k));
  for (const k of ["followRedirects", "keywordAbsent", "paused"]) if (has(`${k}__present`)) out[k] = fd.get(k) === "on";
  if (has("headerName")) {
    const names = fd.getAll("headerName").map(String);
    const values = fd.getAll("headerValue").map(String);
    out.headers = Object.fromEntries(names.map((n, i) => [n.trim(), values[i] ?? ""]).filter(([n]) => n));
  }
  const status = s("expectedStatus");
  if (status) out.expectedStatus = status.split(/[\s,]+/).filter(Boolean);
  const expected = s("expected");
  if (has("expected")) out.expected = expected ? expected.split(/[\n,]+/).map((x) => x.trim()).filter(Boolean) : [];
  if (has("regions__present")) out.regions = fd.getAll("regions").map(String);
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
    const result = await testMonitorNow({ ctx, input: formToInput(formData), monitorId: id });
    return { ok: true, data: { result } };
  });
}

export async function bulkAction(formData: FormData): Promise<void> {
  await runAction(formData, async () => {
    const ctx = await requireCtx();
    const ids = formData.getAll("ids").map(String);
    const op = String(formData.get("op") ?? "");
    if (!ids.length) return;
    if (op === "pause" || op === "resume") await setMonitorsPaused({ ctx, monitorIds: ids, paused: op === "pause" });
    if (op === "delete") await deleteMonitors({ ctx, monitorIds: ids });
  });
  revalidatePath("/monitors");
}

export async function monitorOpAction(formData: FormData): Promise<void> {
  let goTo: string | null = null;
  await runAction(formData, async () => {
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
  if (goTo) redirect(goTo);
}
