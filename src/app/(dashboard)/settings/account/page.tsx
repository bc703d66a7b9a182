import { DeleteAccountCard } from "@/components/account/delete-account-card";
import { ExportCard } from "@/components/account/export-card";
import { ProfileCard } from "@/components/account/profile-card";
import { CreateOrganizationForm } from "@/components/members/create-org-form";
import { requireSession } from "@/web/session";

export const metadata = { title: "Account" };

export default async function AccountPage() {
  const s = await requireSession();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Account</h1>
          <p>Your account and the organizations you belong to.</p>
        </div>
      </div>
      <ProfileCard user={s.user} />
      <section className="card" aria-labelledby="orgs">
        <h2 id="orgs" style={{ marginTop: 0 }}>
          Your organizations
        </h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Your role</th>
            </tr>
          </thead>
          <tbody>
            {s.orgs.map((o) => (
              <tr key={o.id}>
                <td>
                  {o.name}
                  {o.id === s.activeOrg?.id && <span className="muted"> (current)</span>}
                </td>
                <td className="mono">{o.slug}</td>
                <td>{o.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="new-org">
        <h2 id="new-org" style={{ marginTop: 0 }}>
          Create another organization
        </h2>
        <CreateOrganizationForm />
      </section>
      <ExportCard />
      <DeleteAccountCard />
    </>
  );
}
