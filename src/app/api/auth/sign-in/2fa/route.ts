import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { PENDING_2FA_COOKIE } from "@/server/auth/pending-2fa";
import { SESSION_COOKIE } from "@/server/auth/session";
import { completeTwoFactorSignIn } from "@/server/services/auth/complete-two-factor-sign-in";
import { jsonRoute } from "@/web/api";
import { cookieOptions } from "@/web/session";

export const POST = jsonRoute(async ({ body, meta }) => {
  const jar = await cookies();
  const r = await completeTwoFactorSignIn({ pendingToken: jar.get(PENDING_2FA_COOKIE)?.value, input: body, meta });
  const res = NextResponse.json({ status: r.status });
  res.cookies.set(SESSION_COOKIE, r.token, cookieOptions(r.expiresAt));
  res.cookies.delete(PENDING_2FA_COOKIE);
  return res;
});
