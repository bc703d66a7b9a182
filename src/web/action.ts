import { headers } from "next/headers";
import type { FieldErrors } from "@/server/errors";
import { controlCharErrors } from "@/server/lib/parse";
import { mapError } from "./api-errors";
import { isSameOrigin, metaFromHeaders } from "./request";

/** What every form's server action returns to useActionState. */
export type FormState = {
  ok?: boolean;
  message?: string;
  fields?: FieldErrors;
  values?: Record<string, string>;
  data?: Record<string, unknown>;
  /** A plan limit refused this and a plan that allows it can be bought: the form shows an "Upgrade" link here. */
  upgradeUrl?: string;
};

/**
 * Wraps a server action: refuses foreign origins and form fields with control characters,
 * and turns errors into the form's message and field messages through the same mapper as
 * the REST API (unknown errors are logged with the request id and shown only generically).
 */
export async function runAction(formData: FormData | null, fn: () => Promise<FormState | void>): Promise<FormState> {
  const h = await headers();
  const values = formData ? echoValues(formData) : undefined;
  if (!isSameOrigin(h)) return { message: "This request did not come from Perigee's own pages and was refused.", values };
  const fields = formData ? controlCharErrors(formFields(formData)) : null;
  if (fields) return { message: Object.values(fields)[0]![0], fields, values };
  try {
    return (await fn()) ?? { ok: true };
  } catch (e) {
    if (isRedirect(e)) throw e;
    const m = mapError(e, metaFromHeaders(h).requestId, { via: "server action" });
    return { message: m.message, ...(m.details ? { fields: m.details } : {}), ...(m.limit?.upgradePlan ? { upgradeUrl: "/settings/billing" } : {}), values };
  }
}

// Text fields by name; a repeated name (checkbox lists, header rows) is an array.
function formFields(fd: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of fd.entries()) {
    if (typeof v !== "string") continue;
    const had = out[k];
    out[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  return out;
}

// Re-render forms with what the user typed, never with passwords or codes.
function echoValues(fd: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of fd.entries()) {
    if (typeof v === "string" && !/password|code|token|secret/i.test(k) && !k.startsWith("$")) out[k] = v;
  }
  return out;
}

function isRedirect(e: unknown): boolean {
  const d = (e as { digest?: unknown })?.digest;
  return typeof d === "string" && (d.startsWith("NEXT_REDIRECT") || d.startsWith("NEXT_HTTP_ERROR_FALLBACK") || d === "NEXT_NOT_FOUND");
}
