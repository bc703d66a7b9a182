import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TwoFactorForm } from "@/components/auth/two-factor-form";
import { PENDING_2FA_COOKIE } from "@/server/auth/pending-2fa";
import { safeNext } from "@/web/safe-redirect";

export const metadata = { title: "Two-factor authentication" };

export default async function TwoFactorPage({ searchParams }: PageProps<"/sign-in/2fa">) {
  if (!(await cookies()).get(PENDING_2FA_COOKIE)) redirect("/sign-in");
  const sp = await searchParams;
  const next = safeNext(typeof sp.next === "string" ? sp.next : undefined);
  return (
    <>
      <h1>Two-factor authentication</h1>
      <p className="muted">Enter the 6-digit code from your authenticator app. Lost your device? Enter one of your recovery codes instead.</p>
      <TwoFactorForm next={next} />
      <p className="auth-foot">
        <Link href="/sign-in">Start over</Link>
      </p>
    </>
  );
}
