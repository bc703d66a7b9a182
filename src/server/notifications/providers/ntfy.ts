import { z } from "zod";
import { DeliveryError, postJson } from "../http";
import { formatDuration, type AlertKind, type AlertMessage } from "../message";
import { httpUrl, view } from "./fields";
import { defineProvider } from "./provider";

const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

/** A topic URL → the server's root (where JSON is published) and the topic name. */
function splitTopicUrl(url: string): { root: string; topic: string } {
  const u = new URL(url);
  const parts = u.pathname.split("/");
  const topic = parts.pop() ?? "";
  return { root: `${u.origin}${parts.join("/")}/`, topic };
}

const topicUrl = httpUrl("Topic URL").refine((v) => {
  try {
    const u = new URL(v);
    return !u.search && !u.hash && TOPIC.test(splitTopicUrl(v).topic);
  } catch {
    return false;
  }
}, "Topic URL is the server and topic, such as https://ntfy.sh/my-alerts (letters, digits, - and _)");

/** ntfy's priorities: 5 max/urgent … 3 default … 1 min. */
const priority = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
  z.number({ error: "Priority is a number from 1 to 5" }).int().min(1, "Priority is 1 to 5").max(5, "Priority is 1 to 5"),
);

const TAGS: Record<AlertKind, string> = {
  down: "rotating_light",
  heartbeat_missed: "rotating_light",
  reminder: "rotating_light",
  recovered: "white_check_mark",
  up: "white_check_mark",
  degraded: "warning",
  ssl_expiring: "lock",
  test: "bell",
};

/**
 * The priority an alert is published with: the channel's own for problems (else 5 when down,
 * 4 when degraded or a certificate is about to expire), never above 3 for a recovery.
 */
function ntfyPriority(m: AlertMessage, own: number | undefined): number {
  switch (m.kind) {
    case "recovered":
    case "up":
      return Math.min(3, own ?? 3);
    case "test":
      return own ?? 3;
    case "down":
    case "heartbeat_missed":
      return own ?? 5;
    case "reminder":
    case "degraded":
      return own ?? 4;
    case "ssl_expiring":
      return own ?? (m.daysLeft !== null && m.daysLeft <= 7 ? 4 : 3);
  }
}

/**
 * The JSON publish body (POST to the server's root): title and text travel in JSON rather
 * than headers, so any character arrives as typed; the text is plain (no markdown flag).
 */
function renderNtfy(m: AlertMessage, topic: string, own: number | undefined) {
  const lines = [m.summary];
  if (m.monitor.target) lines.push(`Target: ${m.monitor.target.slice(0, 300)}`);
  if (m.downtimeSeconds !== null && m.kind !== "reminder" && m.kind !== "down") lines.push(`Downtime: ${formatDuration(m.downtimeSeconds)}`);
  return {
    topic,
    title: m.title.slice(0, 250),
    message: lines.join("\n").slice(0, 4000),
    priority: ntfyPriority(m, own),
    tags: [TAGS[m.kind], "perigee"],
    click: m.url,
    actions: [{ action: "view", label: "Open in Perigee", url: m.url, clear: false }],
  };
}

/** ntfy says what went wrong in {"code":…,"http":…,"error":"…"}. */
function ntfyError(body: string | null): string | null {
  try {
    const e = (JSON.parse(body ?? "") as { error?: unknown }).error;
    return typeof e === "string" && e ? e : null;
  } catch {
    return null;
  }
}

/** ntfy.sh or a self-hosted ntfy server: a topic URL, an optional access token. */
export const ntfy = defineProvider({
  type: "ntfy",
  label: "ntfy",
  fields: {
    url: topicUrl,
    priority: priority.optional(),
    token: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.~+/=-]{8,256}$/, "Access token looks like tk_… (from the ntfy web app's account page)")
      .optional(),
  },
  // On ntfy.sh the topic name is the password: whoever knows it can read the alerts.
  secrets: ["url", "token"],
  urls: ["url"],
  form: [
    { name: "url", label: "Topic URL", hint: "On ntfy.sh anyone who knows the topic can subscribe: pick one nobody would guess", input: "url", placeholder: "https://ntfy.sh/perigee-7f3k2q" },
    {
      name: "priority",
      label: "Priority",
      input: "select",
      options: [
        ["", "By alert: 5 when down, 3 when back up"],
        ["5", "5 — urgent"],
        ["4", "4 — high"],
        ["3", "3 — default"],
        ["2", "2 — low"],
        ["1", "1 — min"],
      ],
    },
    { name: "token", label: "Access token (optional)", hint: "For a protected topic", placeholder: "tk_…" },
  ],
  view: { url: { schema: view.masked, label: "URL" }, priority: { schema: view.number, label: "priority" }, token: { schema: view.masked, label: "token" } },
  example: { url: "https://ntfy.sh/perigee-7f3k2q", priority: 4 },
  async send({ channel, secrets, message }) {
    if (!secrets.url) throw new DeliveryError("The channel has no topic URL", false);
    const { root, topic } = splitTopicUrl(secrets.url);
    const headers: Record<string, string> = secrets.token ? { authorization: `Bearer ${secrets.token}` } : {};
    try {
      const a = await postJson(root, renderNtfy(message, topic, channel.config.priority as number | undefined), { guard: true, provider: "ntfy", headers });
      return { httpStatus: a.status, response: a.body.slice(0, 1000) };
    } catch (e) {
      const why = e instanceof DeliveryError ? ntfyError(e.response) : null;
      if (e instanceof DeliveryError && why) throw new DeliveryError(`ntfy answered HTTP ${e.httpStatus}: ${why}`, e.retryable, e.httpStatus, e.response, e.retryAfterMs);
      throw e;
    }
  },
});
