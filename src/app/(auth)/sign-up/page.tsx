import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getSession } from "@/web/session";

export const metadata = { title: "Create your account" };

export default async function SignUpPage() {
  if (await getSession()) redirect("/monitors");
  return (
    <>
      <h1>Create your account</h1>
      <p className="muted">Monitor your sites and APIs, get alerted, publish a status page.</p>
      <SignUpForm />
      <p className="auth-foot">
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </>
  );
}
