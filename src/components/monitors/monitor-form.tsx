import { KINDS } from "@/server/monitors/kinds";
import type { MonitorView } from "@/server/services/monitors/view";
import { type ChannelOption, type KindFieldset, MonitorFormClient } from "./monitor-form-client";

/** The kinds' fieldsets, as plain data the client form can take. */
const KIND_FIELDSETS: KindFieldset[] = KINDS.map((k) => ({ type: k.type, ...k.form }));

/** The monitor form with the registry's kinds (read here, on the server: the kinds carry their executors). */
export function MonitorForm(props: { monitor?: MonitorView; regions: string[]; channels?: ChannelOption[] }) {
  return <MonitorFormClient kinds={KIND_FIELDSETS} {...props} />;
}
