import Link from "next/link";
import { notFound } from "next/navigation";
import { AcceptButton, NewAccountForm } from "@/components/members/invite-accept";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { isDomainError } from "@/server/errors";
import { getInvitationByToken } from "@/server/services/organizations/get-invitation-by-token";
import { getSession } from "@/web/session";

export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: PageProps<"/invite/[token]">) {
  const { token } = await params;
  const inv = await getInvitationByToken({ token }).catch((e) => {
    if (isDomainError(e)) notFound();
    throw e;
  });
  const session = await getSession();
  const who = inv.inviterName ?? "Someone";
  let body: React.ReactNode;
  if (inv.state !== "valid") {
    body = (
      <p className="form-error" role="alert">
        {inv.state === "expired" ? "This invitation has expired. Ask for a new one." : inv.state === "used" ? "This invitation was already used." : "This invitation was withdrawn."}
      </p>
    );
  } else if (session && session.user.email.toLowerCase() === inv.email.toLowerCase()) {
    body = <AcceptButton token={token} />;
  } else if (session) {
    body = (
      <>
        <p className="form-error" role="alert">
          This invitation is for <strong>{inv.email}</strong>, but you are signed in as <strong>{session.user.email}</strong>. Sign out, then open the link again.
        </p>
        <SignOutButton />
      </>
    );
  } else if (inv.accountExists) {
    body = (
      <p>
        <Link className="btn" href={`/sign-in?next=${encodeURIComponent(`/invite/${token}`)}`}>
          Sign in as {inv.email} to accept
        </Link>
      </p>
    );
  } else {
    body = <NewAccountForm token={token} email={inv.email} />;
  }
  return (
    <main className="auth-wrap">
      <div className="auth-card">
        <Link href="/" className="brand" aria-label="Perigee home">
          <span className="brand-dot" aria-hidden />
          Perigee
        </Link>
        <h1>Join {inv.organizationName}</h1>
        <p className="muted">
          {who} invited {inv.email} to join <strong>{inv.organizationName}</strong> as <strong>{inv.role}</strong>.
        </p>
        {body}
      </div>
    </main>
  );
}
