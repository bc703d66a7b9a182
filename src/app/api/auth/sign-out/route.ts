import { NextResponse } from "next/server";
import { cookies } from "next/headers";
import { SESSION_COOKIE } from "@/server/auth/session";
import { signOut } from "@/server/services/auth/sign-out";
import { jsonRoute } from "@/web/api";

export const POST = jsonRoute(async ({ meta }) => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  await signOut({ token, meta });
  const res = NextResponse.json({ ok: true });
  res.cookies.delete(SESSION_COOKIE);
  return res;
});
