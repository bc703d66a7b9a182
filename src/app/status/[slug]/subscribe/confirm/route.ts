import { confirmStatusSubscription } from "@/server/services/status-subscribers/confirm";
import { pageBasePath, pageSelector } from "@/web/status-access";
import { htmlError, htmlPage } from "@/web/status-subscribe-html";

/** GET /status/{slug}/subscribe/confirm?token=…: the link of the confirmation mail. Idempotent. */
export async function GET(req: Request, ctx: RouteContext<"/status/[slug]/subscribe/confirm">) {
  const { slug } = await ctx.params;
  const back = pageBasePath(req, slug) || "/";
  try {
    const r = await confirmStatusSubscription({ page: pageSelector(req, slug), input: { token: new URL(req.url).searchParams.get("token") ?? "" } });
    return htmlPage({ title: "Subscription confirmed", message: `You will receive status updates from ${r.pageName} by email. Every email has a link to unsubscribe.`, back });
  } catch (e) {
    return htmlError(e, back);
  }
}
