import type { MonitorView } from "@/server/services/monitors/view";

/** What a monitor watches, in one line. */
export function targetOf(m: Pick<MonitorView, "type" | "url" | "host" | "port" | "hostname" | "recordType">): string {
  switch (m.type) {
    case "http":
      return m.url ?? "";
    case "tcp":
      return `${m.host}:${m.port}`;
    case "ssl":
      return `${m.host}:${m.port ?? 443}`;
    case "dns":
      return `${m.hostname} ${m.recordType}`;
    default:
      return "heartbeat";
  }
}
