import { previewAccountDeletion } from "@/server/services/privacy/preview-account-deletion";
import { requireSession } from "@/web/session";
import { DeleteAccountForm } from "./delete-account-form";

/** "Delete my account" with a 7-day undo (issue 13). */
export async function DeleteAccountCard() {
  const s = await requireSession();
  const p = await previewAccountDeletion({ userId: s.user.id });
  return (
    <section className="card" aria-labelledby="delete-account">
      <h2 id="delete-account" style={{ marginTop: 0 }}>
        Delete my account
      </h2>
      <p>
        You are signed out everywhere at once and can no longer sign in; your API keys stop working. We email you a link that restores everything as it was for <strong>{p.graceDays} days</strong>.
        After that, your account and everything tied to it are erased for good.
      </p>
      {p.deletedWith.length > 0 && (
        <p>
          You are the only member of {p.deletedWith.map((o, i) => [i > 0 && ", ", <strong key={o.id}>{o.name}</strong>])}: {p.deletedWith.length === 1 ? "it is" : "they are"} deleted with your account
          — checks stop, status pages go offline — and restored with it.
        </p>
      )}
      {p.blockedBy.length > 0 ? (
        <p className="form-error" role="alert">
          You are the last admin of {p.blockedBy.map((o, i) => [i > 0 && ", ", <strong key={o.id}>{o.name}</strong>])}, which {p.blockedBy.length === 1 ? "has" : "have"} other members. Make one of
          them an admin (Settings → Members), or delete the organization, first.
        </p>
      ) : (
        <DeleteAccountForm twoFactor={p.twoFactor} />
      )}
    </section>
  );
}
