import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export const metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: PageProps<"/reset-password">) {
  const sp = await searchParams;
  const token = typeof sp.token === "string" ? sp.token : "";
  return (
    <>
      <h1>Choose a new password</h1>
      {token ? (
        <>
          <p className="muted">Every session of your account will be signed out.</p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <p className="form-error" role="alert">
          This page needs the link from your email. <Link href="/forgot-password">Request a new link</Link>.
        </p>
      )}
    </>
  );
}
