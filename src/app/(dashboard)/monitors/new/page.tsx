import Link from "next/link";
import { MonitorForm } from "@/components/monitors/monitor-form";
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
        <p>Your role ({ctx.org.role}) cannot create monitors. Ask an EDITOR or ADMIN of {ctx.org.name}.</p>
        <Link href="/monitors">Back to monitors</Link>
      </section>
    );
  }
  const regions = [...new Set(["default", ...(await regionNames()).values()])];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>New monitor</h1>
          <p>Checks start within one interval of saving. &ldquo;Test now&rdquo; runs the check once without saving.</p>
        </div>
      </div>
      <MonitorForm regions={regions} />
    </>
  );
}
