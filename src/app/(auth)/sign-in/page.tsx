import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNext } from "@/web/safe-redirect";
import { getSession } from "@/web/session";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const sp = await searchParams;
  const next = safeNext(typeof sp.next === "string" ? sp.next : undefined);
  if (await getSession()) redirect(next);
  const reset = sp.reset === "1";
  return (
    <>
      <h1>Sign in</h1>
      {reset && <p className="form-ok" role="status">Your password was changed. Sign in with the new one.</p>}
      <SignInForm next={next} />
      <p className="auth-foot">
        <Link href="/forgot-password">Forgot your password?</Link>
        <br />
        New to Perigee? <Link href="/sign-up">Create an account</Link>
      </p>
    </>
  );
}
