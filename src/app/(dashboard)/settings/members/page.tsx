import { InviteForm, LeaveButton, RemoveButton, RevokeButton, RoleSelect } from "@/components/members/member-forms";
import { can } from "@/server/auth/permissions";
import { listMembers } from "@/server/services/organizations/list-members";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const ctx = await requireCtx();
  const { members, pending } = await listMembers({ ctx });
  const manage = can(ctx.org.role, "members:manage");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Members of {ctx.org.name}</h1>
          <p>
            You are <span className="badge admin">{ctx.org.role}</span>. {manage ? "You can invite people and change roles." : "Only ADMINs can invite people or change roles."}
          </p>
        </div>
      </div>
      {manage && (
        <section className="card" aria-labelledby="invite">
          <h2 id="invite" style={{ marginTop: 0 }}>
            Invite a teammate
          </h2>
          <InviteForm />
        </section>
      )}
      <section className="card" aria-labelledby="members">
        <h2 id="members" style={{ marginTop: 0 }}>
          Members ({members.length})
        </h2>
        <table className="table stack">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">2FA</th>
              <th scope="col">Joined</th>
              {manage && (
                <th scope="col">
                  <span className="muted">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td data-label="Name">
                  {m.name}
                  {m.userId === ctx.actor.userId && <span className="muted"> (you)</span>}
                </td>
                <td className="mono" data-label="Email">
                  {m.email}
                </td>
                <td data-label="Role">{manage ? <RoleSelect userId={m.userId} role={m.role} name={m.name} /> : <span className="badge">{m.role}</span>}</td>
                <td data-label="2FA">{m.twoFactor ? <span className="badge ok">On</span> : <span className="muted">Off</span>}</td>
                <td className="mono" data-label="Joined">
                  {m.joinedAt.toISOString().slice(0, 10)}
                </td>
                {manage && <td>{m.userId !== ctx.actor.userId && <RemoveButton userId={m.userId} name={m.name} />}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {manage && pending.length > 0 && (
        <section className="card" aria-labelledby="pending">
          <h2 id="pending" style={{ marginTop: 0 }}>
            Pending invitations
          </h2>
          <table className="table stack">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="muted">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((p) => (
                <tr key={p.id}>
                  <td className="mono" data-label="Email">
                    {p.email}
                  </td>
                  <td data-label="Role">{p.role}</td>
                  <td className="mono" data-label="Expires">
                    {p.expiresAt.toISOString().slice(0, 10)}
                  </td>
                  <td>
                    <RevokeButton invitationId={p.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="card" aria-labelledby="leave">
        <h2 id="leave" style={{ marginTop: 0 }}>
          Leave this organization
        </h2>
        <p className="muted">The last ADMIN cannot leave; make someone else an ADMIN first.</p>
        <LeaveButton orgName={ctx.org.name} />
      </section>
    </>
  );
}
