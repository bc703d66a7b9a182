import { NextResponse } from "next/server";
import { SESSION_COOKIE } from "@/server/auth/session";
import { signUp } from "@/server/services/auth/sign-up";
import { jsonRoute } from "@/web/api";
import { cookieOptions } from "@/web/session";

export const POST = jsonRoute(async ({ body, meta }) => {
  const r = await signUp({ input: body as never, meta });
  const res = NextResponse.json({ ok: true, user: r.user, organization: r.organization }, { status: 201 });
  res.cookies.set(SESSION_COOKIE, r.session.token, cookieOptions(r.session.expiresAt));
  return res;
});
