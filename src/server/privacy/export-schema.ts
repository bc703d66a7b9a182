import { z } from "zod";
import { isoTime } from "../api/views";
import { EXPORT_SCHEMA_VERSION, RESULT_COLUMNS, ROLLUP_COLUMNS } from "./export";

const rowsPerMonitor = z.array(z.object({ monitorId: z.uuid(), rows: z.array(z.array(z.unknown())) }).strict());
const records = z.array(z.record(z.string(), z.unknown()));

/**
 * The export document's outline (docs/export.md has every field): the OpenAPI description of
 * `GET /api/v1/account/export` and the check the tests make of real exports. Sections hold
 * the same views the dashboard and the API answer, so their fields are not repeated here.
 */
export const exportDocumentSchema = z
  .object({
    schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
    generatedAt: isoTime,
    app: z.object({ name: z.literal("Perigee"), url: z.string() }).strict(),
    dataRegion: z.string().describe("Where the data is stored (DATA_REGION)"),
    scope: z.object({ via: z.enum(["dashboard", "api"]), organizations: z.array(z.uuid()).describe("The organizations exported in full") }).strict(),
    user: z.record(z.string(), z.unknown()).describe("The profile: no password hash, no 2FA secret; the count of unused recovery codes"),
    sessions: records.nullable().describe("Dashboard export only (null through the API)"),
    securityEvents: records.nullable().describe("Dashboard export only (null through the API)"),
    memberships: z.array(z.object({ organizationId: z.uuid(), slug: z.string(), name: z.string(), role: z.enum(["ADMIN", "EDITOR", "VIEWER"]), joinedAt: isoTime, exported: z.boolean() }).strict()),
    organizations: z.array(
      z
        .object({
          id: z.uuid(),
          slug: z.string(),
          name: z.string(),
          createdAt: isoTime,
          plan: z.record(z.string(), z.unknown()),
          billing: z.record(z.string(), z.unknown()),
          members: records,
          invitations: records,
          apiKeys: records,
          channels: records,
          monitors: records,
          maintenanceWindows: records,
          statusPages: records,
          incidents: records,
          incidentNotes: records,
          monitorEvents: records,
          notificationLog: records,
          auditLog: records,
          apiAccessLog: records,
          checkFailures: records,
          checkResults: z.object({ retentionDays: z.number().int(), since: isoTime, columns: z.array(z.enum(RESULT_COLUMNS)), monitors: rowsPerMonitor }).strict(),
          rollups: z.object({ columns: z.array(z.enum(ROLLUP_COLUMNS)), hourly: rowsPerMonitor, daily: rowsPerMonitor }).strict(),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: "AccountExport" });
