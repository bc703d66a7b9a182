import { notFound } from "next/navigation";
import { MonitorForm } from "@/components/monitors/monitor-form";
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
  const regions = [...new Set(["default", ...(await regionNames()).values()])];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Edit {monitor.name}</h1>
        </div>
      </div>
      <MonitorForm monitor={monitor} regions={regions} />
    </>
  );
}
