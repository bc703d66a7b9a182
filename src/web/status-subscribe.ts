import { NotFound, Unauthorized } from "@/server/errors";
import { subscribeToStatusPage } from "@/server/services/status-subscribers/subscribe";
import { errorResponse } from "./api-errors";
import { readJsonBody } from "./api-input";
import { metaFromHeaders } from "./request-meta";
import { pageBasePath, pageSelector, resolvePublicPage } from "./status-access";
import { htmlError, htmlPage } from "./status-subscribe-html";

const MAX_FORM_BYTES = 16 * 1024;
const REFUSED: Record<number, string> = { 401: "This status page is private.", 404: "No such status page.", 503: "The status page is unavailable right now. Please try again shortly." };

/**
 * POST /status/{slug}/subscribe: the page's sign-up form (form-encoded `email`, repeated
 * `components`) answered with a "check your inbox" page, or JSON `{ email, componentIds }`
 * answered 202 `{ ok, message }`. Only pages the visitor may see take sign-ups.
 */
export async function subscribeRoute(req: Request, slug: string): Promise<Response> {
  const meta = metaFromHeaders(req.headers);
  const back = pageBasePath(req, slug) || "/";
  const isJson = (req.headers.get("content-type") ?? "").toLowerCase().includes("json");
  try {
    const access = await resolvePublicPage(req, pageSelector(req, slug));
    if (!access.ok) {
      const message = REFUSED[access.status] ?? "No such status page.";
      if (!isJson) return htmlPage({ title: "Not available", message }, access.status, access.status === 503 ? { "retry-after": "5" } : {});
      if (access.status === 503) return Response.json({ error: { code: "internal_error", message, requestId: meta.requestId } }, { status: 503, headers: { "retry-after": "5" } });
      throw access.status === 401 ? new Unauthorized(message) : new NotFound(message);
    }
    let input: unknown;
    if (isJson) input = (await readJsonBody(req)).body ?? {};
    else {
      if (Number(req.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) return htmlPage({ title: "That did not work", message: "The form is too large.", back }, 413);
      const form = await req.formData();
      input = { email: String(form.get("email") ?? ""), componentIds: form.getAll("components").map(String).filter(Boolean) };
    }
    const r = await subscribeToStatusPage({ pageId: access.entry.snapshot.page.id, input, meta });
    return isJson ? Response.json({ ok: true, message: r.message }, { status: 202 }) : htmlPage({ title: "Check your inbox", message: r.message, back });
  } catch (e) {
    return isJson ? errorResponse(e, meta.requestId, { path: new URL(req.url).pathname }) : htmlError(e, back);
  }
}
