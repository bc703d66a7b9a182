import Link from "next/link";
import { ChannelForm, DeleteChannelButton, TestChannelButton } from "@/components/notifications/channel-forms";
import { can } from "@/server/auth/permissions";
import { listChannels } from "@/server/services/channels/list";
import { listNotificationLog } from "@/server/services/channels/log";
import type { ChannelView } from "@/server/notifications/channel-schema";
import { CHANNEL_FORMS, PROVIDERS, providerOf } from "@/server/notifications/providers";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Notifications" };

const TYPE_LABEL: Record<string, string> = Object.fromEntries(PROVIDERS.map((p) => [p.type, p.label]));
/** Each attempt's status as the log shows it; `hint` explains the less obvious ones (title and screen readers). */
const ATTEMPT_STATUS: Record<string, { label: string; tone: string; hint?: string }> = {
  sending: { label: "Sending", tone: "badge", hint: "This attempt is under way." },
  delivered: { label: "Delivered", tone: "badge ok" },
  skipped: { label: "Skipped", tone: "badge", hint: "Not sent, for the reason shown." },
  retrying: { label: "Failed, will retry", tone: "state state-degraded" },
  failed: { label: "Failed", tone: "state state-down" },
  interrupted: {
    label: "Interrupted",
    tone: "state state-degraded",
    hint: "The sender stopped during this attempt, before recording its outcome; the receiver may have received it. The next attempt repeats it with the same id, so the receiver can tell.",
  },
};
const statusOf = (s: string) => ATTEMPT_STATUS[s] ?? { label: s, tone: "badge" };
/** An attempt without an outcome has no latency to show. */
const hasLatency = (s: string) => s !== "sending" && s !== "interrupted";

const when = (iso: string | Date | null) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—");

/** The channel's settings as a reader may see them (its provider's view fields): secrets come masked from the service. */
function settings(c: ChannelView): string {
  return Object.entries(providerOf(c.type).view)
    .flatMap(([k, f]) => {
      const v = (c as Record<string, unknown>)[k];
      if (!f.label || v === undefined || v === null || v === "") return [];
      return [`${f.label} ${Array.isArray(v) ? v.join(", ") : String(v)}`];
    })
    .join(" · ");
}

export default async function NotificationsPage(props: PageProps<"/notifications">) {
  const ctx = await requireCtx();
  const sp = await props.searchParams;
  const filter = typeof sp.channel === "string" ? sp.channel : undefined;
  const channels = await listChannels({ ctx });
  const log = await listNotificationLog({ ctx, channelId: filter && channels.some((c) => c.id === filter) ? filter : undefined });
  const edit = can(ctx.org.role, "channels:write");
  const moved = Math.max(0, Math.min(100_000, Number.parseInt(typeof sp.moved === "string" ? sp.moved : "0", 10) || 0));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p>Where alerts go: {new Intl.ListFormat("en", { type: "conjunction" }).format(PROVIDERS.map((p) => p.label))}. Monitors use the default channels unless they choose their own.</p>
        </div>
      </div>

      {sp.deleted === "1" && (
        <p className="notice" role="status" data-testid="channel-deleted">
          Channel deleted.
          {moved > 0 && ` ${moved === 1 ? "1 monitor that used only this channel now uses" : `${moved} monitors that used only this channel now use`} the organization's default channels.`}
          {moved > 0 && sp.nodefault === "1" && " There are no default channels yet: they alert nobody until you mark a channel as default."}
        </p>
      )}

      {channels.length === 0 ? (
        <section className="empty" aria-labelledby="no-channels">
          <h2 id="no-channels">No notification channels yet</h2>
          <p>
            {edit
              ? "Add a channel below, mark it as default, and every monitor alerts there. Every delivery attempt will show up in the log on this page."
              : "An editor or admin can add channels; you will see every delivery here."}
          </p>
        </section>
      ) : (
        <section aria-labelledby="channels-h">
          <h2 id="channels-h" className="sr-only">
            Channels
          </h2>
          <ul className="channel-list" data-testid="channels">
            {channels.map((c) => (
              <li key={c.id} className="card channel" data-channel={c.name}>
                <div className="row" style={{ justifyContent: "space-between" }}>
                  <div>
                    <strong>{c.name}</strong> <span className="badge">{TYPE_LABEL[c.type]}</span> {c.isDefault && <span className="badge ok">Default</span>}
                    <div className="muted small-text mono">{settings(c)}</div>
                  </div>
                  {edit && (
                    <div className="row">
                      <TestChannelButton channelId={c.id} name={c.name} />
                      <DeleteChannelButton channelId={c.id} name={c.name} />
                    </div>
                  )}
                </div>
                <p className="small-text">
                  Last delivered: {when(c.lastDeliveredAt)}
                  {c.lastError && (
                    <span className="field-error" role="status">
                      {" "}
                      · Last error ({when(c.lastErrorAt)}): {c.lastError}
                    </span>
                  )}
                </p>
                {edit && (
                  <details>
                    <summary>Edit</summary>
                    <ChannelForm forms={CHANNEL_FORMS} channel={c} />
                  </details>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {edit && (
        <section className="card" aria-labelledby="add-channel">
          <h2 id="add-channel" className="card-title">
            Add a channel
          </h2>
          <ChannelForm forms={CHANNEL_FORMS} />
        </section>
      )}

      <section className="card table-card" aria-labelledby="log-h">
        <div className="row" style={{ justifyContent: "space-between", padding: "1rem 1rem 0" }}>
          <h2 id="log-h" className="card-title">
            Notification log
          </h2>
          {channels.length > 0 && (
            <nav className="row small-text" aria-label="Filter the log by channel">
              <Link href="/notifications" aria-current={!filter ? "page" : undefined}>
                All
              </Link>
              {channels.map((c) => (
                <Link key={c.id} href={`/notifications?channel=${c.id}`} aria-current={filter === c.id ? "page" : undefined}>
                  {c.name}
                </Link>
              ))}
            </nav>
          )}
        </div>
        <p className="muted small-text" style={{ padding: "0 1rem" }}>
          Every attempt, from the moment it starts. Alerts are sent at least once: an interrupted attempt may have reached the receiver, and its retry carries the same id (<code>webhook-id</code> for
          webhooks), so receivers can drop the repeat.
        </p>
        {log.length === 0 ? (
          <p className="muted" style={{ padding: "0 1rem 1rem" }}>
            Nothing sent yet. Use &ldquo;Send test notification&rdquo; on a channel, or wait for a monitor to change state.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table compact stack" data-testid="notification-log">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Event</th>
                  <th scope="col" className="num">
                    Attempt
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    HTTP
                  </th>
                  <th scope="col">Error / answer</th>
                  <th scope="col" className="num">
                    Latency
                  </th>
                </tr>
              </thead>
              <tbody>
                {log.map((l) => (
                  <tr key={l.id} data-status={l.status}>
                    <td className="mono" data-label="Time">
                      {when(l.createdAt)}
                    </td>
                    <td data-label="Channel">
                      {l.channelName} <span className="muted small-text">({TYPE_LABEL[l.channelType]})</span>
                    </td>
                    <td data-label="Event">
                      {l.eventKind.replaceAll("_", " ")}
                      {l.monitorId && (
                        <>
                          {" "}
                          <Link href={`/monitors/${l.monitorId}`} className="small-text">
                            monitor
                          </Link>
                        </>
                      )}
                    </td>
                    <td className="num" data-label="Attempt">
                      {l.attempt}
                    </td>
                    <td data-label="Status">
                      <span className={statusOf(l.status).tone} title={statusOf(l.status).hint}>
                        {statusOf(l.status).label}
                      </span>
                      {statusOf(l.status).hint && <span className="sr-only">: {statusOf(l.status).hint}</span>}
                    </td>
                    <td className="num" data-label="HTTP">
                      {l.httpStatus ?? "—"}
                    </td>
                    <td className="small-text" data-label="Error / answer">
                      {l.error ?? l.response ?? ""}
                    </td>
                    <td className="num" data-label="Latency">
                      {hasLatency(l.status) ? `${l.latencyMs} ms` : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
