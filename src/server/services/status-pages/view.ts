import { z } from "zod";
import { isoTime } from "../../api/views";
import type { StatusPage, StatusPageComponent, StatusPageSection } from "../../db/schema";
import { PAGE_ACCESS, PAGE_LANGUAGES } from "../../status/model";

export const statusComponentViewSchema = z
  .object({
    id: z.uuid(),
    monitorId: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    sectionId: z.uuid().nullable(),
    sectionName: z.string().nullable(),
    position: z.number().int(),
    showResponseTime: z.boolean(),
  })
  .strict()
  .meta({ id: "StatusPageComponent" });
export type StatusComponentView = z.infer<typeof statusComponentViewSchema>;

/** What the page's editors see. Never the password hash; the domain token is theirs to put in DNS. */
export const statusPageViewSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    logoUrl: z.string().nullable(),
    brandColor: z.string(),
    timeZone: z.string(),
    language: z.enum(PAGE_LANGUAGES),
    published: z.boolean(),
    access: z.enum(PAGE_ACCESS),
    hasPassword: z.boolean().describe("A password is set (it is never returned)"),
    autoPublishIncidents: z.boolean(),
    customDomain: z.string().nullable(),
    domainToken: z.string().nullable().describe("Put this in a TXT record at _perigee.{customDomain}"),
    domainVerifiedAt: isoTime.nullable(),
    version: z.number().int(),
    sections: z.array(z.object({ id: z.uuid(), name: z.string(), position: z.number().int() }).strict()),
    components: z.array(statusComponentViewSchema),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .strict()
  .meta({ id: "StatusPage" });
export type StatusPageView = z.infer<typeof statusPageViewSchema>;

export function toComponentViews(components: StatusPageComponent[], sections: StatusPageSection[]): StatusComponentView[] {
  const sectionName = new Map(sections.map((s) => [s.id, s.name]));
  return [...components]
    .sort((a, b) => a.position - b.position)
    .map((c) => ({
      id: c.id,
      monitorId: c.monitorId,
      name: c.name,
      description: c.description,
      sectionId: c.sectionId,
      sectionName: c.sectionId ? (sectionName.get(c.sectionId) ?? null) : null,
      position: c.position,
      showResponseTime: c.showResponseTime,
    }));
}

export function toStatusPageView(p: StatusPage, sections: StatusPageSection[], components: StatusPageComponent[]): StatusPageView {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    description: p.description,
    logoUrl: p.logoUrl,
    brandColor: p.brandColor,
    timeZone: p.timeZone,
    language: p.language,
    published: p.published,
    access: p.access,
    hasPassword: p.passwordHash != null,
    autoPublishIncidents: p.autoPublishIncidents,
    customDomain: p.customDomain,
    domainToken: p.domainToken,
    domainVerifiedAt: p.domainVerifiedAt?.toISOString() ?? null,
    version: p.version,
    sections: [...sections].sort((a, b) => a.position - b.position).map((s) => ({ id: s.id, name: s.name, position: s.position })),
    components: toComponentViews(components, sections),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
