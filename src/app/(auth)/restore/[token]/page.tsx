import { RestoreForm } from "@/components/account/restore-form";

export const metadata = { title: "Restore a deleted account or organization" };

/** The mailed link opens this page; restoring needs a click, so a mail scanner fetching the link restores nothing. */
export default async function RestorePage({ params }: PageProps<"/restore/[token]">) {
  const { token } = await params;
  return (
    <>
      <h1>Restore what you deleted</h1>
      <p className="muted">Everything comes back as it was before the deletion: sign-in, monitors and their checks, status pages, API keys and members.</p>
      <RestoreForm token={token} />
    </>
  );
}
