import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/server/auth/permissions";
import { listAuditLog } from "@/server/services/audit/list-audit-log";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Audit log" };

export default async function AuditLogPage({ searchParams }: PageProps<"/settings/audit-log">) {
  const ctx = await requireCtx();
  if (!can(ctx.org.role, "audit:read")) notFound();
  const sp = await searchParams;
  const before = typeof sp.before === "string" && /^\d+$/.test(sp.before) ? Number(sp.before) : undefined;
  const { data, nextCursor } = await listAuditLog({ ctx, before });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p>Who did what in {ctx.org.name}, and your members&apos; sign-ins — from which address and device.</p>
        </div>
      </div>
      <div className="card">
        {data.length === 0 ? (
          <p className="muted">Nothing recorded yet.</p>
        ) : (
          <table className="table stack">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">IP</th>
                <th scope="col">User agent</th>
              </tr>
            </thead>
            <tbody>
              {data.map(({ entry, actorName, actorEmail }) => (
                <tr key={entry.id}>
                  <td className="mono">{entry.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{actorName ? `${actorName} (${actorEmail})` : <span className="muted">—</span>}</td>
                  <td className="mono">{entry.action}</td>
                  <td className="mono">
                    {entry.targetType ? `${entry.targetType}` : ""}
                    {entry.metadata && Object.keys(entry.metadata).length > 0 && <span className="muted"> {JSON.stringify(entry.metadata)}</span>}
                  </td>
                  <td className="mono">{entry.ip ?? "—"}</td>
                  <td className="muted" title={entry.userAgent ?? ""}>
                    {(entry.userAgent ?? "—").slice(0, 40)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextCursor && (
          <p>
            <Link href={`/settings/audit-log?before=${nextCursor}`}>Older entries →</Link>
          </p>
        )}
      </div>
    </>
  );
}
