import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";

export const metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1>Reset your password</h1>
      <p className="muted">Enter your account&apos;s email. We&apos;ll send a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="auth-foot">
        <Link href="/sign-in">Back to sign in</Link>
      </p>
    </>
  );
}
