import { NextResponse } from "next/server";
import { handleStripeWebhook } from "@/server/billing/webhook";
import { errorResponse } from "@/web/api-errors";
import { metaFromHeaders } from "@/web/request-meta";

export const dynamic = "force-dynamic";

/**
 * Stripe's webhook endpoint. Signature-authenticated on the raw body (no cookies, so no
 * Origin check); the body is read as text and never re-serialized before verification.
 */
export async function POST(req: Request) {
  const meta = metaFromHeaders(req.headers);
  try {
    const r = await handleStripeWebhook({ rawBody: await req.text(), signature: req.headers.get("stripe-signature"), meta });
    return NextResponse.json({ received: true, ...r }, { headers: { "cache-control": "no-store", "x-request-id": meta.requestId } });
  } catch (e) {
    return errorResponse(e, meta.requestId, { route: "/api/stripe/webhook" });
  }
}
