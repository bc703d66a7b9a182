import { serveStatusHtml } from "@/web/status-pages";

/** One incident of a status page with its whole timeline. */
export async function GET(req: Request, ctx: RouteContext<"/status/[slug]/incidents/[id]">) {
  const { slug, id } = await ctx.params;
  return serveStatusHtml(req, slug, { kind: "incident", id });
}
