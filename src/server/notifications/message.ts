import { env } from "../env";
import { targetOf } from "../monitors/kinds";

/**
 * What a notification says, independent of the channel. Every sender renders this one
 * object, so an email, a Slack message and an SMS about the same event agree.
 */
export type AlertKind = "down" | "recovered" | "degraded" | "up" | "heartbeat_missed" | "ssl_expiring" | "reminder" | "test";

export type AlertMessage = {
  kind: AlertKind;
  /** Stable per event (webhook id, email Message-ID). */
  eventId: string;
  monitor: { id: string; name: string; type: string; target: string | null };
  /** The incident receivers were alerted about (PagerDuty dedup key, webhook incidentId). */
  incidentId: string | null;
  /** DOWN, UP, DEGRADED … after the event. */
  state: string;
  cause: string | null;
  errorClass: string | null;
  statusCode: number | null;
  /** Recovery: how long it was down. Reminder (and DOWN after maintenance): how long it has been down. */
  downtimeSeconds: number | null;
  daysLeft: number | null;
  certValidTo: string | null;
  reminderNumber: number | null;
  occurredAt: string;
  url: string;
  /** One line a person reads first: "🔴 API is DOWN". */
  title: string;
  /** One or two sentences with the detail. */
  summary: string;
};

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "an unknown time";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join(" ") || "0m";
}

const EMOJI: Record<AlertKind, string> = {
  down: "🔴",
  heartbeat_missed: "🔴",
  reminder: "🔴",
  recovered: "🟢",
  up: "🟢",
  degraded: "🟡",
  ssl_expiring: "🟠",
  test: "🔔",
};

export function emojiOf(kind: AlertKind): string {
  return EMOJI[kind];
}

type EventRow = {
  id: number | string;
  kind: string;
  incidentId: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
};

type MonitorRow = { id: string; name: string; type: string; config: Record<string, unknown> };

/** Builds the message for an outbox event (and, for reminders, the incident it repeats). */
export function buildMessage(e: EventRow, m: MonitorRow): AlertMessage {
  const p = e.payload;
  const kind = e.kind as AlertKind;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  const cause = str(p.cause);
  const downtime = num(p.downtimeSeconds);
  const daysLeft = num(p.daysLeft);
  const name = m.name;
  let title: string;
  let summary: string;
  switch (kind) {
    case "down":
      // Went DOWN inside a maintenance window and still DOWN when it ended (maintenance-ended.ts).
      if (p.stillDownAfterMaintenance === true) {
        title = `${name} is still DOWN after the maintenance window ended`;
        summary = `It went down during the maintenance window, ${formatDuration(downtime)} ago${cause ? `: ${cause}` : ""}.`;
      } else {
        title = `${name} is DOWN`;
        summary = cause ? `${cause}.` : "The check failed.";
      }
      if (Array.isArray(p.regionsDown) && p.regionsDown.length > 1) summary += ` Confirmed from ${p.regionsDown.join(", ")}.`;
      break;
    case "heartbeat_missed":
      if (p.stillDownAfterMaintenance === true) {
        title = `${name} is still missing its heartbeat after the maintenance window ended`;
        summary = `No ping has arrived since the maintenance window, ${formatDuration(downtime)} ago${cause ? `: ${cause}` : ""}.`;
      } else {
        title = `${name} missed its heartbeat`;
        summary = cause ? `${cause}.` : "No ping arrived within the expected period and grace time.";
      }
      break;
    case "reminder":
      title = `${name} is still DOWN`;
      summary = `Down for ${formatDuration(downtime)}${cause ? `: ${cause}` : ""}. Reminder ${num(p.reminderNumber) ?? ""}`.trim() + ".";
      break;
    case "recovered":
      title = `${name} is back UP`;
      summary = `It was down for ${formatDuration(downtime)}.`;
      break;
    case "degraded":
      title = `${name} is DEGRADED`;
      summary = cause ? `${cause}.` : "Responses are slower than the monitor's threshold.";
      break;
    case "up":
      title = `${name} is no longer degraded`;
      summary = "Response times are back under the threshold.";
      break;
    case "ssl_expiring": {
      const d = daysLeft ?? 0;
      title = d < 0 ? `${name}: SSL certificate has expired` : `${name}: SSL certificate expires in ${d} day${d === 1 ? "" : "s"}`;
      summary = `The certificate${str(p.subject) ? ` for ${str(p.subject)}` : ""} is valid until ${str(p.validTo)?.slice(0, 10) ?? "an unknown date"}. Renew it before it expires.`;
      break;
    }
    case "test":
      title = `Test notification for ${name}`;
      summary = "If you can read this, the channel works.";
      break;
    default:
      title = `${name}: ${e.kind}`;
      summary = "";
  }
  return {
    kind,
    eventId: String(e.id),
    monitor: { id: m.id, name: m.name, type: m.type, target: targetOf(m.type, m.config) },
    // A relapse folded into an earlier alert is reported as that alert's incident.
    incidentId: str(p.alertedIncidentId) ?? e.incidentId,
    state: e.toState ?? (kind === "ssl_expiring" ? "UP" : kind === "reminder" ? "DOWN" : "UP"),
    cause,
    errorClass: str(p.errorClass),
    statusCode: num(p.statusCode),
    downtimeSeconds: downtime,
    daysLeft,
    certValidTo: str(p.validTo),
    reminderNumber: num(p.reminderNumber),
    occurredAt: e.createdAt.toISOString(),
    url: `${env().APP_URL}/monitors/${m.id}`,
    title,
    summary,
  };
}

/** The test notification a user sends from a channel's page. */
export function testMessage(channelName: string): AlertMessage {
  const now = new Date();
  return {
    kind: "test",
    eventId: `test-${now.getTime()}`,
    monitor: { id: "00000000-0000-0000-0000-000000000000", name: "Example monitor", type: "http", target: "https://example.com" },
    incidentId: null,
    state: "UP",
    cause: null,
    errorClass: null,
    statusCode: null,
    downtimeSeconds: null,
    daysLeft: null,
    certValidTo: null,
    reminderNumber: null,
    occurredAt: now.toISOString(),
    url: `${env().APP_URL}/notifications`,
    title: `Test notification from Perigee`,
    summary: `This is a test of the channel "${channelName}". If you can read this, alerts will reach you here.`,
  };
}
