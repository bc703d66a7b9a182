import { unsubscribeFromStatusPage } from "@/server/services/status-subscribers/unsubscribe";
import { subscriberOfToken } from "@/server/status/subscribers";
import { pageBasePath, pageSelector } from "@/web/status-access";
import { htmlError, htmlPage } from "@/web/status-subscribe-html";

const INVALID = "This unsubscribe link is not valid. Use the link of the most recent email you received.";

/**
 * GET shows a single "Unsubscribe" button and changes nothing: mail scanners that open links
 * must not unsubscribe anyone. POST (the button, or a mail client's RFC 8058 one-click
 * `List-Unsubscribe=One-Click`) removes the subscriber. The signed token is the proof; the
 * page's privacy settings do not apply (a mail provider's one-click POST carries no cookie).
 */
export async function GET(req: Request, ctx: RouteContext<"/status/[slug]/unsubscribe">) {
  const { slug } = await ctx.params;
  const token = new URL(req.url).searchParams.get("token") ?? "";
  if (!subscriberOfToken(token)) return htmlPage({ title: "Link not valid", message: INVALID }, 400);
  return htmlPage({
    title: "Unsubscribe",
    message: "Stop receiving status updates from this page?",
    form: { action: `${pageBasePath(req, slug)}/unsubscribe?token=${encodeURIComponent(token)}`, button: "Unsubscribe", fields: {} },
  });
}

export async function POST(req: Request, ctx: RouteContext<"/status/[slug]/unsubscribe">) {
  const { slug } = await ctx.params;
  const back = pageBasePath(req, slug) || "/";
  try {
    await unsubscribeFromStatusPage({ page: pageSelector(req, slug), input: { token: new URL(req.url).searchParams.get("token") ?? "" } });
    return htmlPage({ title: "Unsubscribed", message: "You will not receive status updates from this page any more. Your address was deleted.", back });
  } catch (e) {
    return htmlError(e, back);
  }
}
