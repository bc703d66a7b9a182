import { RequestRefused } from "@/server/errors";
import { errorResponse } from "./api-errors";
import { readJsonBody } from "./api-input";
import { isSameOrigin, metaFromHeaders } from "./request";
import type { RequestMeta } from "@/server/context";

type Handler = (args: { req: Request; meta: RequestMeta & { requestId: string }; body: unknown }) => Promise<Response>;

/** Route-handler wrapper for cookie-authenticated JSON endpoints: origin check, body parse, error mapping. */
export function jsonRoute(fn: Handler, opts: { requireOrigin?: boolean } = { requireOrigin: true }) {
  return async (req: Request): Promise<Response> => {
    const meta = metaFromHeaders(req.headers);
    try {
      if (opts.requireOrigin !== false && !isSameOrigin(req.headers)) throw new RequestRefused("bad_origin", "This request did not come from Perigee's own pages and was refused.");
      let body: unknown = {};
      if (req.method !== "GET" && req.method !== "HEAD") {
        // Our own pages send JSON; the Origin check already keeps other sites' forms out.
        body = (await readJsonBody(req, { requireJsonType: false })).body ?? {};
      }
      return await fn({ req, meta, body });
    } catch (e) {
      return errorResponse(e, meta.requestId, { path: new URL(req.url).pathname });
    }
  };
}
