import { serveStatusHtml } from "@/web/status-pages";

/** A status page's incidents of the last 90 days and its past maintenance. */
export async function GET(req: Request, ctx: RouteContext<"/status/[slug]/history">) {
  const { slug } = await ctx.params;
  return serveStatusHtml(req, slug, { kind: "history" });
}
