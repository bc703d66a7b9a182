import Link from "next/link";
import { notFound } from "next/navigation";
import { CreateApiKeyForm, RevokeApiKeyButton } from "@/components/settings/api-key-forms";
import { SCOPE_DESCRIPTIONS, scopesAllowedFor } from "@/server/auth/scopes";
import { can } from "@/server/auth/permissions";
import { listApiKeys } from "@/server/services/api-keys/list";
import { requireCtx } from "@/web/session";

export const metadata = { title: "API keys" };

const day = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : "—");

export default async function ApiKeysPage() {
  const ctx = await requireCtx();
  if (!can(ctx.org.role, "api-keys:manage")) notFound();
  const keys = await listApiKeys({ ctx });
  const scopes = scopesAllowedFor(ctx.org.role).map((s) => ({ name: s, description: SCOPE_DESCRIPTIONS[s] }));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API keys</h1>
          <p>
            Keys let scripts use the <Link href="/docs/api">REST API</Link> as you, within the scopes you give them. A key loses any scope your role no longer allows, and stops working if you leave{" "}
            {ctx.org.name}.
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="new-key">
        <h2 id="new-key" className="card-title">
          Create a key
        </h2>
        <CreateApiKeyForm scopes={scopes} />
      </section>
      {keys.length === 0 ? (
        <section className="empty small-empty">
          <h2>No API keys yet</h2>
          <p>
            Create one above, then send it as <code>Authorization: Bearer pk_live_…</code>.
          </p>
        </section>
      ) : (
        <section className="card table-card" aria-labelledby="keys">
          <h2 id="keys" className="card-title" style={{ padding: "1rem 1rem 0" }}>
            Keys of {ctx.org.name}
          </h2>
          <div className="table-scroll">
            <table className="table compact" data-testid="api-keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col" className="num">
                    Requests 24 h
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="muted">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => {
                  const expired = k.expiresAt && new Date(k.expiresAt).getTime() < Date.now();
                  return (
                    <tr key={k.id}>
                      <td>
                        {k.name}
                        <div className="muted">by {k.createdBy?.name ?? k.createdBy?.email ?? "a former member"}</div>
                      </td>
                      <td className="mono">{k.prefix}…</td>
                      <td className="mono">
                        {k.scopes.join(", ")}
                        {k.creatorRole && k.effectiveScopes.length < k.scopes.length && (
                          <div className="muted">
                            Not usable while its creator is {k.creatorRole}: {k.scopes.filter((s) => !k.effectiveScopes.includes(s)).join(", ")}
                          </div>
                        )}
                      </td>
                      <td className="mono">{day(k.createdAt)}</td>
                      <td className="mono">
                        {day(k.lastUsedAt)}
                        {k.lastUsedIp && <div className="muted">{k.lastUsedIp}</div>}
                      </td>
                      <td className="num">
                        {k.usage.requests24h}
                        {k.usage.errors24h > 0 && <div className="muted">{k.usage.errors24h} errors</div>}
                      </td>
                      <td>
                        {k.revokedAt ? (
                          <span className="badge">Revoked</span>
                        ) : expired ? (
                          <span className="badge">Expired</span>
                        ) : !k.creatorRole ? (
                          <span className="badge" title="Keys act as their creator, who is no longer a member">
                            Inactive: creator left
                          </span>
                        ) : (
                          <span className="badge ok">Active{k.expiresAt ? ` until ${k.expiresAt.slice(0, 10)}` : ""}</span>
                        )}
                      </td>
                      <td>{!k.revokedAt && <RevokeApiKeyButton id={k.id} name={k.name} />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {keys.some((k) => k.usage.recent.length) && (
            <details style={{ padding: "0 1rem 1rem" }}>
              <summary>Recent requests per key</summary>
              {keys
                .filter((k) => k.usage.recent.length)
                .map((k) => (
                  <div key={k.id}>
                    <h3 className="card-title" style={{ marginTop: "1rem" }}>
                      {k.name} <span className="mono muted">{k.prefix}…</span>
                    </h3>
                    <table className="table compact">
                      <thead>
                        <tr>
                          <th scope="col">Time</th>
                          <th scope="col">Request</th>
                          <th scope="col" className="num">
                            Status
                          </th>
                          <th scope="col" className="num">
                            Latency
                          </th>
                          <th scope="col">IP</th>
                        </tr>
                      </thead>
                      <tbody>
                        {k.usage.recent.map((r, i) => (
                          <tr key={i}>
                            <td className="mono">{day(r.createdAt)}</td>
                            <td className="mono">
                              {r.method} {r.route}
                            </td>
                            <td className="num">{r.status}</td>
                            <td className="num">{r.latencyMs} ms</td>
                            <td className="mono">{r.ip ?? "—"}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ))}
            </details>
          )}
        </section>
      )}
    </>
  );
}
