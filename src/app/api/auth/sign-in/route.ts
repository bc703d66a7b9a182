import { NextResponse } from "next/server";
import { PENDING_2FA_COOKIE, PENDING_2FA_TTL_SECONDS } from "@/server/auth/pending-2fa";
import { SESSION_COOKIE } from "@/server/auth/session";
import { signIn } from "@/server/services/auth/sign-in";
import { jsonRoute } from "@/web/api";
import { cookieOptions } from "@/web/session";

// Origin is checked too: a forged cross-site sign-in (login CSRF) is refused.
export const POST = jsonRoute(async ({ body, meta }) => {
  const r = await signIn({ input: body, meta });
  if (r.status === "2fa_required") {
    const res = NextResponse.json({ status: r.status });
    res.cookies.set(PENDING_2FA_COOKIE, r.pendingToken, { ...cookieOptions(), maxAge: PENDING_2FA_TTL_SECONDS });
    return res;
  }
  const res = NextResponse.json({ status: r.status });
  res.cookies.set(SESSION_COOKIE, r.token, cookieOptions(r.expiresAt));
  return res;
});
