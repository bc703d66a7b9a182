import { serveStatusHtml, submitPagePassword } from "@/web/status-pages";

/** A status page's current state (HTML from the cached snapshot; see src/web/status-pages.ts). */
export async function GET(req: Request, ctx: RouteContext<"/status/[slug]">) {
  const { slug } = await ctx.params;
  return serveStatusHtml(req, slug, { kind: "home" });
}

/** The password form of a private page. */
export async function POST(req: Request, ctx: RouteContext<"/status/[slug]">) {
  const { slug } = await ctx.params;
  return submitPagePassword(req, slug);
}
