import type { MonitorState } from "@/server/db/schema";

const LABEL: Record<MonitorState, string> = { UP: "Up", DOWN: "Down", DEGRADED: "Degraded", PENDING: "Pending", PAUSED: "Paused" };

export function StateBadge({ state, big }: { state: MonitorState; big?: boolean }) {
  return (
    <span className={`state state-${state.toLowerCase()}${big ? " state-big" : ""}`} title={LABEL[state]}>
      <span className="state-dot" aria-hidden />
      <span data-testid="monitor-state">{state}</span>
    </span>
  );
}
