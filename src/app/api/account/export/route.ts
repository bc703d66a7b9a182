import { cookies } from "next/headers";
import { SESSION_COOKIE, validateSession } from "@/server/auth/session";
import { RequestRefused, Unauthorized } from "@/server/errors";
import { exportAccount } from "@/server/services/account/export";
import { errorResponse } from "@/web/api-errors";
import { jsonDownload } from "@/web/download";
import { metaFromHeaders } from "@/web/request";

export const dynamic = "force-dynamic";

/**
 * Settings → Account → "Export my data": the signed-in person's export as a `.json.gz` download. A GET
 * (a plain link), so it is refused when the browser says another site started it
 * (Sec-Fetch-Site): a foreign page cannot make anyone download, and log, an export.
 */
export async function GET(req: Request): Promise<Response> {
  const meta = metaFromHeaders(req.headers);
  try {
    const site = req.headers.get("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") throw new RequestRefused("bad_origin", "Start the export from Settings → Account in Perigee.");
    const session = await validateSession((await cookies()).get(SESSION_COOKIE)?.value);
    if (!session) throw new Unauthorized("Sign in to export your data.");
    const out = await exportAccount({ userId: session.user.id, input: { via: "dashboard" }, meta });
    return jsonDownload(out.chunks, { filename: out.filename, gzip: "file", headers: { "x-request-id": meta.requestId } });
  } catch (e) {
    return errorResponse(e, meta.requestId, { path: "/api/account/export" });
  }
}
