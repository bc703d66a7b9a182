import Link from "next/link";
import { notFound } from "next/navigation";
import { MonitorForm } from "@/components/monitors/monitor-form";
import { listChannels } from "@/server/services/channels/list";
import { can } from "@/server/auth/permissions";
import { NotFound } from "@/server/errors";
import { regionNames } from "@/server/monitors/regions";
import { getMonitor } from "@/server/services/monitors/get";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Edit monitor" };

export default async function EditMonitorPage({ params }: PageProps<"/monitors/[id]/edit">) {
  const ctx = await requireCtx();
  const { id } = await params;
  const monitor = await getMonitor({ ctx, monitorId: id }).catch((e) => {
    if (e instanceof NotFound) notFound();
    throw e;
  });
  const back = (
    <nav className="breadcrumb small-text" aria-label="Breadcrumb">
      <Link href="/monitors">Monitors</Link> <span aria-hidden>/</span> <Link href={`/monitors/${monitor.id}`}>{monitor.name}</Link> <span aria-hidden>/</span> <span className="muted">Edit</span>
    </nav>
  );
  if (!can(ctx.org.role, "monitors:write")) {
    return (
      <>
        {back}
        <section className="empty">
          <h1>Edit {monitor.name}</h1>
          <p>
            Your role ({ctx.org.role}) cannot change monitors. Ask an editor or admin of {ctx.org.name}.
          </p>
        </section>
      </>
    );
  }
  const regions = [...new Set(["default", ...(await regionNames()).values(), ...monitor.regions])];
  return (
    <>
      {back}
      <div className="page-head">
        <div>
          <h1>Edit {monitor.name}</h1>
          <p>Changes apply from the next check.</p>
        </div>
      </div>
      <MonitorForm monitor={monitor} regions={regions} channels={(await listChannels({ ctx })).map((c) => ({ id: c.id, name: c.name, type: c.type, isDefault: c.isDefault }))} />
    </>
  );
}
