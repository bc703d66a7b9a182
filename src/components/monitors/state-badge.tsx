import type { MonitorState } from "@/server/db/schema";

const HINT: Record<MonitorState, string> = {
  UP: "Up: the latest checks pass",
  DOWN: "Down: failures confirmed",
  DEGRADED: "Degraded: responding, but slower than the threshold",
  PENDING: "Pending: waiting for the first checks",
  PAUSED: "Paused: no checks run",
};

/** The live state as a pill; the testid'd text is exactly the state, for tests and for screen readers. */
export function StateBadge({ state, big }: { state: MonitorState; big?: boolean }) {
  return (
    <span className={`state state-${state.toLowerCase()}${big ? " state-big" : ""}`} title={HINT[state]}>
      <span className="state-dot" aria-hidden />
      <span data-testid="monitor-state">{state}</span>
    </span>
  );
}
