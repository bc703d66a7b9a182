import Link from "next/link";

/** Shown across the dashboard until the user's address is proven. */
export function ConfirmEmailBanner({ email }: { email: string }) {
  return (
    <div className="notice" role="status" data-testid="confirm-email-banner" style={{ marginBottom: "1rem" }}>
      Confirm <span className="mono">{email}</span>: open the link we emailed you. Until then no alert email is sent and you cannot invite anyone. <Link href="/settings/account">Resend the link</Link>
    </div>
  );
}
