import type { StatusIncident, StatusIncidentUpdate, StatusMaintenance, StatusNotice, StatusPage } from "../db/schema";
import { esc } from "../mail/mailer";
import { renderMarkdown } from "./markdown";
import type { IncidentStatus } from "./model";
import { pageBaseUrl } from "./subscribers";

/**
 * What subscribers are told about one notice: the mail (subject, text, HTML) and the webhook
 * body. Pure: the sender loads the rows and adds the subscriber's own unsubscribe link.
 */
export type NoticeFacts = {
  page: Pick<StatusPage, "id" | "name" | "slug" | "customDomain" | "domainVerifiedAt">;
  notice: Pick<StatusNotice, "id" | "kind" | "createdAt">;
  incident: Pick<StatusIncident, "id" | "title" | "impact" | "status" | "publishedAt" | "resolvedAt"> | null;
  update: Pick<StatusIncidentUpdate, "id" | "status" | "body" | "createdAt"> | null;
  maintenance: Pick<StatusMaintenance, "id" | "title" | "message" | "startsAt" | "endsAt"> | null;
  components: { id: string; name: string }[];
};

const STATUS_LABEL: Record<IncidentStatus, string> = { investigating: "Investigating", identified: "Identified", monitoring: "Monitoring", resolved: "Resolved" };

/** The Standard-Webhooks-style `type` of a notice. */
const WEBHOOK_TYPE = {
  incident_published: "incident.published",
  incident_updated: "incident.updated",
  incident_resolved: "incident.resolved",
  maintenance_started: "maintenance.started",
  maintenance_ended: "maintenance.ended",
} as const;

export const incidentUrl = (f: NoticeFacts, incidentId: string) => `${pageBaseUrl(f.page)}/incidents/${incidentId}`;

function headline(f: NoticeFacts): { title: string; body: string; link: string } {
  const base = pageBaseUrl(f.page);
  if (f.incident) {
    const status = STATUS_LABEL[f.update?.status ?? f.incident.status];
    return { title: `${f.incident.title} — ${status}`, body: f.update?.body ?? "", link: incidentUrl(f, f.incident.id) };
  }
  if (f.maintenance) {
    const started = f.notice.kind === "maintenance_started";
    const when = started ? `Until ${f.maintenance.endsAt.toISOString().replace(".000Z", "Z")}` : "The maintenance is over.";
    return { title: `${started ? "Maintenance started" : "Maintenance completed"}: ${f.maintenance.title}`, body: [f.maintenance.message, when].filter(Boolean).join("\n\n"), link: base };
  }
  return { title: "Status update", body: "", link: base };
}

export function noticeMail(f: NoticeFacts, unsubscribeLink: string): { subject: string; text: string; html: string } {
  const h = headline(f);
  const affected = f.components.length ? `Affected: ${f.components.map((c) => c.name).join(", ")}` : "";
  const footer = `You receive this because you subscribed to ${f.page.name}'s status updates.`;
  const text = [h.title, h.body, affected, `Details: ${h.link}`, "--", footer, `Unsubscribe: ${unsubscribeLink}`].filter(Boolean).join("\n\n") + "\n";
  // The author's Markdown: as written in the text part, through the page's safe renderer in the HTML part.
  const bodyHtml = h.body ? renderMarkdown(h.body) : "";
  const html = `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#14171f;background:#f7f8fa;padding:24px">
<div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e3e6ec;border-radius:10px;padding:24px">
<p style="font-weight:700;margin:0 0 16px">${esc(f.page.name)}</p><h1 style="font-size:20px;margin:0 0 12px">${esc(h.title)}</h1>${bodyHtml}
${affected ? `<p style="color:#5b6475">${esc(affected)}</p>` : ""}<p><a href="${esc(h.link)}">View on the status page</a></p>
<hr style="border:0;border-top:1px solid #e3e6ec"><p style="color:#5b6475;font-size:13px">${esc(footer)} <a href="${esc(unsubscribeLink)}">Unsubscribe</a></p>
</div></body></html>`;
  return { subject: `[${f.page.name}] ${h.title}`, text, html };
}

/** The JSON a webhook subscriber receives (docs/status-subscribers.md). */
export function noticeWebhookBody(f: NoticeFacts) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    type: WEBHOOK_TYPE[f.notice.kind],
    noticeId: String(f.notice.id),
    occurredAt: f.notice.createdAt.toISOString(),
    data: {
      page: { id: f.page.id, name: f.page.name, url: pageBaseUrl(f.page) },
      incident: f.incident
        ? {
            id: f.incident.id,
            title: f.incident.title,
            impact: f.incident.impact,
            status: f.incident.status,
            url: incidentUrl(f, f.incident.id),
            publishedAt: iso(f.incident.publishedAt),
            resolvedAt: iso(f.incident.resolvedAt),
          }
        : null,
      update: f.update ? { id: f.update.id, status: f.update.status, body: f.update.body, createdAt: f.update.createdAt.toISOString() } : null,
      maintenance: f.maintenance
        ? { id: f.maintenance.id, title: f.maintenance.title, message: f.maintenance.message, startsAt: f.maintenance.startsAt.toISOString(), endsAt: f.maintenance.endsAt.toISOString() }
        : null,
      components: f.components,
    },
  };
}
