import { CreateOrganizationForm } from "@/components/members/create-org-form";
import { requireSession } from "@/web/session";

export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const s = await requireSession();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Profile</h1>
          <p>Your account and the organizations you belong to.</p>
        </div>
      </div>
      <section className="card">
        <dl className="row" style={{ gap: "2rem" }}>
          <div>
            <dt className="muted">Name</dt>
            <dd style={{ margin: 0 }}>{s.user.name}</dd>
          </div>
          <div>
            <dt className="muted">Email</dt>
            <dd className="mono" style={{ margin: 0 }}>
              {s.user.email}
            </dd>
          </div>
          <div>
            <dt className="muted">Two-factor</dt>
            <dd style={{ margin: 0 }}>{s.user.totpEnabled ? "On" : "Off"}</dd>
          </div>
        </dl>
      </section>
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
    </>
  );
}
