import Link from "next/link";
import { listOrganizations } from "@/server/services/admin/list-organizations";
import { listUsers } from "@/server/services/admin/list-users";
import { requireSiteAdmin } from "@/web/session";

export const metadata = { title: "Site admin" };

export default async function AdminPage({ searchParams }: PageProps<"/admin">) {
  const s = await requireSiteAdmin();
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : "";
  const actor = { userId: s.user.id, email: s.user.email, isAdmin: s.user.isAdmin };
  const [orgs, users] = await Promise.all([listOrganizations({ actor, q }), listUsers({ actor, q })]);
  return (
    <main className="main" style={{ margin: "0 auto" }}>
      <div className="page-head">
        <div>
          <h1>Site admin</h1>
          <p>
            Every organization and user on this install. <Link href="/monitors">Back to the dashboard</Link>
          </p>
        </div>
      </div>
      <form className="row card" method="get">
        <label htmlFor="admin-q">Search</label>
        <input id="admin-q" name="q" defaultValue={q} placeholder="name, email or slug" className="field" style={{ flex: 1, padding: "0.45rem" }} />
        <button className="btn secondary" type="submit">
          Search
        </button>
      </form>
      <section className="card" aria-labelledby="orgs">
        <h2 id="orgs" style={{ marginTop: 0 }}>
          Organizations ({orgs.length})
        </h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Members</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {orgs.map((o) => (
              <tr key={o.id}>
                <td>{o.name}</td>
                <td className="mono">{o.slug}</td>
                <td>{o.members}</td>
                <td className="mono">{o.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="users">
        <h2 id="users" style={{ marginTop: 0 }}>
          Users ({users.length})
        </h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Organizations</th>
              <th scope="col">2FA</th>
              <th scope="col">Site admin</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td className="mono">{u.email}</td>
                <td>{u.organizations}</td>
                <td>{u.twoFactor ? "On" : "Off"}</td>
                <td>{u.isAdmin ? <span className="badge admin">admin</span> : ""}</td>
                <td className="mono">{u.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
