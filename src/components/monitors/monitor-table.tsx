import Link from "next/link";
import { labelOf, targetOf } from "@/server/monitors/kinds";
import type { MonitorListItem } from "@/server/services/monitors/list";
import { RelativeTime } from "./relative-time";
import { Sparkline } from "./sparkline";
import { StateBadge } from "./state-badge";
import { every, pct } from "./target";

/** What a monitor watches; a heartbeat watches nothing, it expects pings. */
function targetLine(m: MonitorListItem): string {
  return targetOf(m.type, m) ?? `expects a ping every ${every(m.intervalSeconds)}`;
}

function uptimeClass(u: number | null): string {
  if (u === null) return "muted";
  if (u >= 99.9) return "";
  if (u >= 99) return "uptime-warn";
  return "uptime-bad";
}

/** The monitors table; `selectable` adds the checkboxes the bulk bar acts on. */
export function MonitorTable({ monitors, selectable, now }: { monitors: MonitorListItem[]; selectable: boolean; now: number }) {
  return (
    <div className="table-scroll">
      <table className="table monitors-table">
        <thead>
          <tr>
            {selectable && (
              <th scope="col" className="col-check">
                <input type="checkbox" aria-label="Select all monitors" data-select-all />
              </th>
            )}
            <th scope="col" className="col-state">
              State
            </th>
            <th scope="col">Monitor</th>
            <th scope="col">Last check</th>
            <th scope="col" className="num">
              24 h
            </th>
            <th scope="col" className="num col-90d">
              90 d
            </th>
            <th scope="col" className="col-latency">
              Latency, 24 h
            </th>
          </tr>
        </thead>
        <tbody>
          {monitors.map((m) => (
            <tr key={m.id} data-testid="monitor-row" data-monitor-name={m.name} className={m.state === "DOWN" ? "row-down" : undefined}>
              {selectable && (
                <td className="col-check">
                  <input type="checkbox" name="ids" value={m.id} aria-label={`Select ${m.name}`} />
                </td>
              )}
              <td className="col-state">
                <StateBadge state={m.state} />
              </td>
              <td className="col-monitor">
                <Link href={`/monitors/${m.id}`} className="monitor-name">
                  {m.name}
                </Link>
                <div className="monitor-sub">
                  <span className="type-tag">{labelOf(m.type)}</span>
                  <span className="mono target" title={targetLine(m)}>
                    {targetLine(m)}
                  </span>
                  {m.type !== "heartbeat" && <span className="muted">· every {every(m.intervalSeconds)}</span>}
                </div>
              </td>
              <td className="nowrap col-last">
                <RelativeTime iso={m.lastCheckedAt} now={now} />
              </td>
              <td className={`num col-24h ${uptimeClass(m.uptime24h)}`} data-label="24 h">
                {pct(m.uptime24h)}
              </td>
              <td className={`num col-90d ${uptimeClass(m.uptime90d)}`}>{pct(m.uptime90d)}</td>
              <td className="col-latency">{m.type === "heartbeat" ? <span className="muted">—</span> : <Sparkline points={m.sparkline} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
