import { MaintenanceForm } from "@/components/maintenance/maintenance-form";
import { can } from "@/server/auth/permissions";
import { listMaintenanceWindows } from "@/server/services/maintenance-windows/list";
import { listMonitors } from "@/server/services/monitors/list";
import { requireCtx } from "@/web/session";
import { deleteMaintenanceAction } from "@/web/actions/maintenance";

export const metadata = { title: "Maintenance" };

const DAYS = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export default async function MaintenancePage() {
  const ctx = await requireCtx();
  const [windows, monitors] = await Promise.all([listMaintenanceWindows({ ctx }), listMonitors({ ctx })]);
  const names = new Map(monitors.map((m) => [m.id, m.name]));
  const canEdit = can(ctx.org.role, "monitors:write");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Maintenance windows</h1>
          <p>During a window checks keep running and incidents are recorded, but nobody is alerted.</p>
        </div>
      </div>
      {windows.length === 0 ? (
        <section className="empty" aria-labelledby="no-windows">
          <h2 id="no-windows">No maintenance windows</h2>
          <p>Plan a one-off window for a deploy or migration, or a weekly one for recurring jobs, so planned downtime does not page anyone.</p>
        </section>
      ) : (
        <div className="card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">When</th>
                <th scope="col">Monitors</th>
                <th scope="col">Status</th>
                {canEdit && (
                  <th scope="col">
                    <span className="muted">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {windows.map((w) => (
                <tr key={w.id}>
                  <td>{w.name}</td>
                  <td>
                    {w.kind === "one_off"
                      ? `${w.startsAt?.toISOString().replace("T", " ").slice(0, 16)} → ${w.endsAt?.toISOString().replace("T", " ").slice(0, 16)} UTC`
                      : `Every ${(w.weekdays ?? []).map((d) => DAYS[d]).join(", ")} at ${w.startTime} for ${w.durationMinutes} min (${w.timeZone})`}
                  </td>
                  <td>{w.monitorIds.length ? w.monitorIds.map((id) => names.get(id) ?? "deleted").join(", ") : "All monitors"}</td>
                  <td>{w.activeNow ? <span className="badge admin">Active now</span> : <span className="badge">Scheduled</span>}</td>
                  {canEdit && (
                    <td>
                      <form action={deleteMaintenanceAction}>
                        <input type="hidden" name="id" value={w.id} />
                        <button className="btn secondary small" type="submit">
                          Delete
                        </button>
                      </form>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>New maintenance window</h2>
          <MaintenanceForm monitors={monitors.map((m) => ({ id: m.id, name: m.name }))} />
        </div>
      )}
    </>
  );
}
