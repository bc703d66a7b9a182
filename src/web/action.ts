import { headers } from "next/headers";
import { isDomainError, RateLimited, type FieldErrors } from "@/server/errors";
import { log } from "@/server/log";
import { isSameOrigin, metaFromHeaders } from "./request";

/** What every form's server action returns to useActionState. */
export type FormState = { ok?: boolean; message?: string; fields?: FieldErrors; values?: Record<string, string>; data?: Record<string, unknown> };

export const GENERIC_ERROR = "Something went wrong on our side. Please try again; if it keeps happening, contact support with the reference ";

/**
 * Wraps a server action: refuses foreign origins, maps domain errors to field messages,
 * logs unknown errors with a request id and shows only a generic message.
 */
export async function runAction(formData: FormData | null, fn: () => Promise<FormState | void>): Promise<FormState> {
  const h = await headers();
  const values = formData ? echoValues(formData) : undefined;
  if (!isSameOrigin(h)) return { message: "This request did not come from Perigee's own pages and was refused.", values };
  try {
    return (await fn()) ?? { ok: true };
  } catch (e) {
    if (isRedirect(e)) throw e;
    if (e instanceof RateLimited) return { message: e.message, values };
    if (isDomainError(e)) return { message: e.message, fields: e.fields, values };
    const { requestId } = metaFromHeaders(h);
    log.error("action failed", { requestId, err: e });
    return { message: `${GENERIC_ERROR}${requestId}.`, values };
  }
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
