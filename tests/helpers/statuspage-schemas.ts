import { z } from "zod";

/**
 * Atlassian Statuspage's public v2 shapes (https://{page}/api/v2/*.json), strict: a field we
 * add or rename fails. Written from Statuspage's documented answers.
 */
const time = z.iso.datetime({ offset: true });
const componentStatus = z.enum(["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]);

const page = z.strictObject({ id: z.string(), name: z.string(), url: z.url(), time_zone: z.string(), updated_at: time });
const status = z.strictObject({ indicator: z.enum(["none", "minor", "major", "critical"]), description: z.string() });
const component = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: componentStatus,
  created_at: time,
  updated_at: time,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.iso.date().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  components: z.array(z.string()).optional(),
});
const update = (statuses: z.ZodEnum) =>
  z.strictObject({
    id: z.string(),
    status: statuses,
    body: z.string(),
    incident_id: z.string(),
    created_at: time,
    updated_at: time,
    display_at: time,
    affected_components: z.array(z.strictObject({ code: z.string(), name: z.string(), old_status: componentStatus, new_status: componentStatus })).nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable(),
    tweet_id: z.string().nullable(),
  });
const incidentFields = {
  id: z.string(),
  name: z.string(),
  created_at: time,
  updated_at: time,
  monitoring_at: time.nullable(),
  resolved_at: time.nullable(),
  shortlink: z.url(),
  started_at: time,
  page_id: z.string(),
  components: z.array(component),
};
const incident = z.strictObject({
  ...incidentFields,
  status: z.enum(["investigating", "identified", "monitoring", "resolved", "postmortem"]),
  impact: z.enum(["none", "minor", "major", "critical"]),
  incident_updates: z.array(update(z.enum(["investigating", "identified", "monitoring", "resolved", "postmortem"]))),
});
const maintenanceStatus = z.enum(["scheduled", "in_progress", "verifying", "completed"]);
const maintenance = z.strictObject({
  ...incidentFields,
  status: maintenanceStatus,
  impact: z.literal("maintenance"),
  incident_updates: z.array(update(maintenanceStatus)),
  scheduled_for: time,
  scheduled_until: time,
});

export const statuspageSchemas = {
  summary: z.strictObject({ page, components: z.array(component), incidents: z.array(incident), scheduled_maintenances: z.array(maintenance), status }),
  status: z.strictObject({ page, status }),
  components: z.strictObject({ page, components: z.array(component) }),
  incidents: z.strictObject({ page, incidents: z.array(incident) }),
  "incidents/unresolved": z.strictObject({ page, incidents: z.array(incident) }),
  "scheduled-maintenances": z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
  "scheduled-maintenances/upcoming": z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
  "scheduled-maintenances/active": z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
} as const;
