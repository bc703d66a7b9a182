import { subscribeRoute } from "@/web/status-subscribe";

export async function POST(req: Request, ctx: RouteContext<"/status/[slug]/subscribe">) {
  return subscribeRoute(req, (await ctx.params).slug);
}
