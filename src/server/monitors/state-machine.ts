import type { MonitorState } from "../db/schema";
import type { Outcome } from "../checks/types";

/**
 * Pure decision logic: a region's verdict from its consecutive results, and the monitor's
 * verdict from its regions. DOWN only after `confirmations` consecutive failures; back up
 * after `recoveries` consecutive successes; with several regions, DOWN (and recovery) only
 * when a quorum of regions agree. Never cries wolf on one failed check.
 */
export type RegionCounters = { state: MonitorState; consecutiveFailures: number; consecutiveSuccesses: number };

export function applyRegionResult(prev: RegionCounters, outcome: Outcome, cfg: { confirmations: number; recoveries: number }): RegionCounters {
  if (outcome === "down") {
    const failures = prev.consecutiveFailures + 1;
    const state = failures >= cfg.confirmations ? "DOWN" : prev.state;
    return { state, consecutiveFailures: failures, consecutiveSuccesses: 0 };
  }
  const successes = prev.consecutiveSuccesses + 1;
  const healthy: MonitorState = outcome === "degraded" ? "DEGRADED" : "UP";
  // Leaving DOWN needs `recoveries` successes in a row; anything else follows the latest result.
  const state = prev.state === "DOWN" && successes < cfg.recoveries ? "DOWN" : healthy;
  return { state, consecutiveFailures: 0, consecutiveSuccesses: successes };
}

export function quorumOf(regionCount: number, quorum: number | null): number {
  const q = quorum ?? Math.floor(regionCount / 2) + 1;
  return Math.min(Math.max(1, q), Math.max(1, regionCount));
}

/** The monitor's state from its regions' states. PAUSED is handled by the caller. */
export function monitorStateFrom(prev: MonitorState, regionStates: MonitorState[], quorum: number): MonitorState {
  const down = regionStates.filter((s) => s === "DOWN").length;
  const degraded = regionStates.filter((s) => s === "DEGRADED").length;
  const healthy = regionStates.filter((s) => s === "UP" || s === "DEGRADED").length;
  if (down >= quorum) return "DOWN";
  if (healthy >= quorum) return degraded >= quorum ? "DEGRADED" : "UP";
  // No quorum either way (regions disagree or are still pending): keep the last verdict.
  return prev === "PAUSED" ? "PENDING" : prev;
}

export type Transition = { from: MonitorState; to: MonitorState; kind: "down" | "recovered" | "degraded" | "up" };

export function transitionOf(from: MonitorState, to: MonitorState): Transition | null {
  if (from === to) return null;
  if (to === "DOWN") return { from, to, kind: "down" };
  if (from === "DOWN") return { from, to, kind: "recovered" };
  if (to === "DEGRADED") return { from, to, kind: "degraded" };
  if (to === "UP" && from === "DEGRADED") return { from, to, kind: "up" };
  // PENDING → UP is the first verdict, not news.
  return null;
}
