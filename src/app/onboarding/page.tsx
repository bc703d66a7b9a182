import { redirect } from "next/navigation";
import { CreateOrganizationForm } from "@/components/members/create-org-form";
import { requireSession } from "@/web/session";

export const metadata = { title: "Create an organization" };

export default async function OnboardingPage() {
  const s = await requireSession();
  if (s.activeOrg) redirect("/monitors");
  return (
    <main className="auth-wrap">
      <div className="auth-card">
        <h1>Create an organization</h1>
        <p className="muted">You don&apos;t belong to any organization right now. Create one, or ask a teammate to invite you.</p>
        <CreateOrganizationForm />
      </div>
    </main>
  );
}
