import Link from "next/link";
import { MonitorForm } from "@/components/monitors/monitor-form";
import { listChannels } from "@/server/services/channels/list";
import { can } from "@/server/auth/permissions";
import { regionNames } from "@/server/monitors/regions";
import { requireCtx } from "@/web/session";

export const metadata = { title: "New monitor" };

export default async function NewMonitorPage() {
  const ctx = await requireCtx();
  if (!can(ctx.org.role, "monitors:write")) {
    return (
      <section className="empty">
        <h1>New monitor</h1>
        <p>
          Your role ({ctx.org.role}) cannot create monitors. Ask an editor or admin of {ctx.org.name}.
        </p>
        <Link href="/monitors">Back to monitors</Link>
      </section>
    );
  }
  const regions = [...new Set(["default", ...(await regionNames()).values()])];
  return (
    <>
      <nav className="breadcrumb small-text" aria-label="Breadcrumb">
        <Link href="/monitors">Monitors</Link> <span aria-hidden>/</span> <span className="muted">New</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>New monitor</h1>
          <p>Checks start within one interval of saving; alerts go to the organization&rsquo;s notification channels.</p>
        </div>
      </div>
      <MonitorForm regions={regions} channels={(await listChannels({ ctx })).map((c) => ({ id: c.id, name: c.name, type: c.type, isDefault: c.isDefault }))} />
    </>
  );
}
