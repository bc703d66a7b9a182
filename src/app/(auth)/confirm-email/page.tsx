import Link from "next/link";
import { ConfirmEmailForm } from "@/components/account/confirm-email-form";

export const metadata = { title: "Confirm your email address" };

// A button rather than confirming on GET: mail scanners open links, and must not use them up.
export default async function ConfirmEmailPage({ searchParams }: PageProps<"/confirm-email">) {
  const sp = await searchParams;
  const token = typeof sp.token === "string" ? sp.token : "";
  return (
    <>
      <h1>Confirm your email address</h1>
      {token ? (
        <ConfirmEmailForm token={token} />
      ) : (
        <p className="form-error" role="alert">
          This page needs the link from your email. <Link href="/settings/account">Send a new one from your account</Link>.
        </p>
      )}
    </>
  );
}
