"use client";
import Link from "next/link";
import { useState } from "react";
import { bulkAction } from "@/app/(dashboard)/monitors/actions";
import type { MonitorListItem } from "@/server/services/monitors/list";
import { RelativeTime } from "./relative-time";
import { Sparkline } from "./sparkline";
import { StateBadge } from "./state-badge";
import { targetOf } from "./target";

export function MonitorTable({ monitors, canEdit, now }: { monitors: MonitorListItem[]; canEdit: boolean; now: number }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmDelete, setConfirmDelete] = useState(false);
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const all = selected.size === monitors.length && monitors.length > 0;
  return (
    <form action={bulkAction} className="card" style={{ padding: 0 }}>
      {[...selected].map((id) => (
        <input key={id} type="hidden" name="ids" value={id} />
      ))}
      {canEdit && (
        <div className="bulk-bar" aria-live="polite">
          <span className="muted">{selected.size ? `${selected.size} selected` : "Select monitors to pause, resume or delete them"}</span>
          <button className="btn secondary small" name="op" value="pause" disabled={!selected.size}>
            Pause
          </button>
          <button className="btn secondary small" name="op" value="resume" disabled={!selected.size}>
            Resume
          </button>
          {confirmDelete ? (
            <>
              <button className="btn danger small" name="op" value="delete" disabled={!selected.size}>
                Delete {selected.size} for good
              </button>
              <button type="button" className="btn link small" onClick={() => setConfirmDelete(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="btn secondary small" disabled={!selected.size} onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          )}
        </div>
      )}
      <table className="table monitors-table">
        <thead>
          <tr>
            {canEdit && (
              <th scope="col" style={{ width: 32 }}>
                <input type="checkbox" aria-label="Select all monitors" checked={all} onChange={() => setSelected(all ? new Set() : new Set(monitors.map((m) => m.id)))} />
              </th>
            )}
            <th scope="col">Status</th>
            <th scope="col">Monitor</th>
            <th scope="col">Last check</th>
            <th scope="col" className="num">
              24 h
            </th>
            <th scope="col" className="num">
              90 d
            </th>
            <th scope="col">Latency (24 h)</th>
          </tr>
        </thead>
        <tbody>
          {monitors.map((m) => (
            <tr key={m.id} data-testid="monitor-row" data-monitor-name={m.name}>
              {canEdit && (
                <td>
                  <input type="checkbox" aria-label={`Select ${m.name}`} checked={selected.has(m.id)} onChange={() => toggle(m.id)} />
                </td>
              )}
              <td>
                <StateBadge state={m.state} />
              </td>
              <td>
                <Link href={`/monitors/${m.id}`} className="monitor-name">
                  {m.name}
                </Link>
                <div className="muted mono small-text">
                  {m.type.toUpperCase()} · {targetOf(m)} · every {m.intervalSeconds >= 60 ? `${m.intervalSeconds / 60} min` : `${m.intervalSeconds} s`}
                </div>
              </td>
              <td>
                <RelativeTime iso={m.lastCheckedAt} now={now} />
              </td>
              <td className="num">{m.uptime24h === null ? <span className="muted">—</span> : `${m.uptime24h.toFixed(m.uptime24h === 100 ? 0 : 2)}%`}</td>
              <td className="num">{m.uptime90d === null ? <span className="muted">—</span> : `${m.uptime90d.toFixed(m.uptime90d === 100 ? 0 : 2)}%`}</td>
              <td>
                <Sparkline points={m.sparkline} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </form>
  );
}
