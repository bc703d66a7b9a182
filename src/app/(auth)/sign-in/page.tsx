import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { env } from "@/server/env";
import { AFTER_SIGN_IN, safeNext } from "@/web/safe-redirect";
import { getSession } from "@/web/session";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const sp = await searchParams;
  const next = safeNext(typeof sp.next === "string" ? sp.next : undefined);
  // Already signed in: go where the link meant to (never back here, which would loop).
  if (await getSession()) redirect(/^\/sign-in(?:[/?#]|$)/.test(next) ? AFTER_SIGN_IN : next);
  const reset = sp.reset === "1";
  const deleted = sp.deleted === "1";
  return (
    <>
      <h1>Sign in</h1>
      {reset && (
        <p className="form-ok" role="status">
          Your password was changed. Sign in with the new one.
        </p>
      )}
      {deleted && (
        <p className="form-ok" role="status">
          Your account was deleted and you were signed out. We emailed you a link that restores it within {env().ERASURE_GRACE_DAYS} days.
        </p>
      )}
      <SignInForm next={next} />
      <p className="auth-foot">
        <Link href="/forgot-password">Forgot your password?</Link>
        <br />
        New to Perigee? <Link href="/sign-up">Create an account</Link>
      </p>
    </>
  );
}
