import { z } from "zod";
import { isTimeZone } from "./maintenance";
import { COMPONENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUSES, PAGE_ACCESS, PAGE_LANGUAGES } from "../status/model";

/**
 * The status-page inputs: one schema per input, shared by the services, the dashboard's forms
 * and the REST API's OpenAPI document. Create schemas require what a new row needs; update
 * schemas take any subset (PATCH), checked again by the service against what is stored.
 */

/** Slugs that would shadow a route or confuse visitors (`/status/{slug}/…`). */
export const RESERVED_SLUGS = new Set([
  "api",
  "admin",
  "_domain",
  "app",
  "assets",
  "badge",
  "dashboard",
  "docs",
  "edit",
  "embed",
  "feed",
  "health",
  "help",
  "login",
  "logout",
  "metrics",
  "new",
  "perigee",
  "settings",
  "signup",
  "static",
  "status",
  "support",
  "www",
]);

// A DNS name of at least two labels; no IP addresses, ports, paths or wildcards.
const HOSTNAME = /^(?=.{4,253}$)(?!\d+\.\d+\.\d+\.\d+$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const slugSchema = z
  .string({ error: "Slug is required" })
  .trim()
  .min(3, "Slug must be at least 3 characters")
  .max(48, "Slug must be at most 48 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens (not at the start or end), like acme-status")
  .refine((s) => !RESERVED_SLUGS.has(s), "This slug is reserved; choose another");

const name = (what: string, max = 120) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`)
    .max(max, `${what} must be at most ${max} characters`);

const componentSchema = z
  .object({
    monitorId: z.uuid({ error: "Choose a monitor (its id)" }),
    name: name("Component name").optional().describe("Shown publicly; defaults to the monitor's name"),
    description: z.string().trim().max(500, "Description must be at most 500 characters").nullish(),
    sectionName: name("Section name", 80).nullish().describe("Components with the same section name are grouped under it; sections are ordered by first appearance"),
    showResponseTime: z.boolean({ error: "showResponseTime must be true or false" }).optional(),
  })
  .strict();

const componentsSchema = z
  .array(componentSchema)
  .max(200, "At most 200 components on one page")
  .superRefine((cs, ctx) => {
    const seen = new Set<string>();
    cs.forEach((c, i) => {
      if (seen.has(c.monitorId)) ctx.addIssue({ code: "custom", path: [i, "monitorId"], message: "This monitor is already a component of the page" });
      seen.add(c.monitorId);
    });
  });

const pageFields = z
  .object({
    name: name("Name"),
    slug: slugSchema,
    description: z.string().trim().max(2000, "Description must be at most 2,000 characters").nullish(),
    logoUrl: z
      .string()
      .trim()
      .max(2048, "Logo URL must be at most 2,048 characters")
      .refine((u) => u === "" || (URL.canParse(u) && new URL(u).protocol === "https:"), "Logo URL must be an https:// address (or empty)")
      .nullish(),
    brandColor: z
      .string()
      .trim()
      .regex(/^#[0-9a-fA-F]{6}$/, "Brand colour must be #rrggbb, like #2563eb"),
    timeZone: z.string().trim().refine(isTimeZone, "Unknown time zone; use an IANA name like Europe/Berlin"),
    language: z.enum(PAGE_LANGUAGES, { error: `Language must be one of ${PAGE_LANGUAGES.join(", ")}` }),
    published: z.boolean({ error: "published must be true or false" }),
    access: z.enum(PAGE_ACCESS, { error: `Access must be one of ${PAGE_ACCESS.join(", ")}` }),
    password: z
      .string()
      .min(8, "Password must be at least 8 characters")
      .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "Password must be at most 72 bytes")
      .optional()
      .describe("Write-only; needed when access is password and none is set yet"),
    autoPublishIncidents: z.boolean({ error: "autoPublishIncidents must be true or false" }),
    customDomain: z
      .string()
      .trim()
      .toLowerCase()
      .refine((d) => d === "" || HOSTNAME.test(d), "Enter a host name like status.example.com (no scheme, port or path)")
      .nullish()
      .describe("Served at / once its DNS TXT record _perigee.{domain} holds domainToken; empty or null removes it"),
    components: componentsSchema,
  })
  .strict();

export const statusPageCreateSchema = pageFields
  .partial()
  .required({ name: true, slug: true })
  .extend({ components: componentsSchema.default([]) });
export type StatusPageCreateInput = z.input<typeof statusPageCreateSchema>;

/** PATCH: any subset; `components`, when given, replaces the list (positions by array order). */
export const statusPageUpdateSchema = pageFields.partial();
export type StatusPageUpdateInput = z.input<typeof statusPageUpdateSchema>;

/** PUT /components: the whole list, in order. */
export const statusComponentsSchema = z.object({ components: componentsSchema }).strict();
export type StatusComponentsInput = z.input<typeof statusComponentsSchema>;

const incidentComponentsSchema = z
  .array(
    z
      .object({
        componentId: z.uuid({ error: "Choose a component of this page (its id)" }),
        status: z
          .enum(COMPONENT_STATUSES, { error: `Status must be one of ${COMPONENT_STATUSES.join(", ")}` })
          .nullish()
          .describe("Shown while the incident is open; null follows the monitor"),
      })
      .strict(),
  )
  .max(200);

const bodySchema = z.string({ error: "Write what happened" }).trim().min(1, "Write what happened").max(10_000, "An update must be at most 10,000 characters").describe("Markdown");

const incidentFields = z
  .object({
    title: name("Title", 200),
    impact: z.enum(INCIDENT_IMPACTS, { error: `Impact must be one of ${INCIDENT_IMPACTS.join(", ")}` }),
    status: z.enum(INCIDENT_STATUSES, { error: `Status must be one of ${INCIDENT_STATUSES.join(", ")}` }),
    body: bodySchema,
    components: incidentComponentsSchema,
    publish: z.boolean({ error: "publish must be true or false" }).describe("false keeps it as a draft, never shown publicly"),
  })
  .strict();

export const statusIncidentCreateSchema = incidentFields
  .partial()
  .required({ title: true, body: true })
  .extend({ publish: z.boolean().default(true) });
export type StatusIncidentCreateInput = z.input<typeof statusIncidentCreateSchema>;

/** PATCH: title, impact, components (replaced when given). The timeline changes by posting updates. */
export const statusIncidentUpdateSchema = incidentFields.pick({ title: true, impact: true, components: true }).partial();
export type StatusIncidentUpdateInput = z.input<typeof statusIncidentUpdateSchema>;

export const statusIncidentPostSchema = z
  .object({
    status: z.enum(INCIDENT_STATUSES, { error: `Status must be one of ${INCIDENT_STATUSES.join(", ")}` }),
    body: bodySchema,
    /** Optional: the affected components and their shown status from this update on (replaced, in the same transaction). */
    components: incidentFields.shape.components.optional(),
  })
  .strict();
export type StatusIncidentPostInput = z.input<typeof statusIncidentPostSchema>;

export const statusIncidentPublishSchema = z.object({ body: bodySchema.optional().describe("The first update's text when the draft has none (default: an automatic message)") }).strict();
export type StatusIncidentPublishInput = z.input<typeof statusIncidentPublishSchema>;

const MAX_MAINTENANCE_MS = 31 * 24 * 3600_000;

const when = (what: string) =>
  z.coerce
    .date({ error: `Enter ${what} date and time (ISO 8601)` })
    .min(new Date("2000-01-01T00:00:00Z"), `Enter ${what} date after 2000`)
    .max(new Date("2100-01-01T00:00:00Z"), `Enter ${what} date before 2100`);

const maintenanceFields = z
  .object({
    title: name("Title", 200),
    message: z.string().trim().max(10_000, "The message must be at most 10,000 characters"),
    startsAt: when("a start"),
    endsAt: when("an end"),
    componentIds: z
      .array(z.uuid({ error: "Choose components of this page (their ids)" }))
      .max(200)
      .describe("Empty: every component of the page"),
  })
  .strict();

const checkSpan = (v: { startsAt?: Date; endsAt?: Date }, ctx: z.RefinementCtx) => {
  if (!v.startsAt || !v.endsAt) return;
  if (v.endsAt <= v.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The end must be after the start" });
  else if (v.endsAt.getTime() - v.startsAt.getTime() > MAX_MAINTENANCE_MS) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "A maintenance lasts at most 31 days" });
};

export const statusMaintenanceCreateSchema = maintenanceFields
  .partial()
  .required({ title: true, startsAt: true, endsAt: true })
  .extend({ message: maintenanceFields.shape.message.default(""), componentIds: maintenanceFields.shape.componentIds.default([]) })
  .superRefine(checkSpan);
export type StatusMaintenanceCreateInput = z.input<typeof statusMaintenanceCreateSchema>;

/** PATCH: any subset; the span is checked again against the stored times. */
export const statusMaintenanceUpdateSchema = maintenanceFields.partial().superRefine(checkSpan);
export type StatusMaintenanceUpdateInput = z.input<typeof statusMaintenanceUpdateSchema>;

/** Checks a merged maintenance (stored times + a PATCH). */
export const maintenanceSpanSchema = z.object({ startsAt: z.date(), endsAt: z.date() }).superRefine(checkSpan);

export const subscriberEmailSchema = z
  .object({
    email: z
      .string({ error: "Enter an email address" })
      .trim()
      .toLowerCase()
      .max(254)
      .pipe(z.email({ error: "Enter an email address" })),
  })
  .strict();
