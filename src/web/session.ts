import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { SESSION_COOKIE, type ValidSession, validateSession } from "@/server/auth/session";
import type { Ctx } from "@/server/context";
import { env } from "@/server/env";
import { requestMeta } from "./request";

export const cookieOptions = (expires?: Date) => ({
  httpOnly: true,
  sameSite: "lax" as const,
  secure: secureCookies(),
  path: "/",
  ...(expires ? { expires } : {}),
});

/** Secure in production; plain-http loopback (local `npm start`, tests) keeps working. */
function secureCookies(): boolean {
  const e = env();
  const url = new URL(e.APP_URL);
  if (url.protocol === "https:") return true;
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return e.NODE_ENV === "production" && !loopback;
}

/** The signed-in session for this request, or null. Cached per request. */
export const getSession = cache(async (): Promise<ValidSession | null> => {
  const jar = await cookies();
  return validateSession(jar.get(SESSION_COOKIE)?.value);
});

export async function requireSession(): Promise<ValidSession> {
  const s = await getSession();
  if (!s) redirect("/sign-in");
  return s;
}

/** Session + active organization, as the services' context. */
export async function requireCtx(): Promise<Ctx & { session: ValidSession }> {
  const s = await requireSession();
  if (!s.activeOrg) redirect("/onboarding");
  return {
    actor: { userId: s.user.id, email: s.user.email, isAdmin: s.user.isAdmin },
    org: s.activeOrg,
    meta: await requestMeta(),
    session: s,
  };
}

/** Site-admin pages answer 404 to everyone else, so their existence is not revealed. */
export async function requireSiteAdmin(): Promise<ValidSession> {
  const s = await getSession();
  if (!s || !s.user.isAdmin) notFound();
  return s;
}
