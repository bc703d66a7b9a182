import { exportDocumentSchema } from "@/server/privacy/export-schema";
import { exportAccount } from "@/server/services/account/export";
import { operation } from "@/web/api-v1";
import { acceptsGzip, jsonDownload } from "@/web/download";

export const dynamic = "force-dynamic";

/** The key's organization and its creator's profile, streamed (docs/export.md). */
export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/account/export",
    scope: "account:export",
    summary: "Export the organization's data as one JSON document",
    description:
      "Streams one JSON document (schemaVersion 1, see docs/export.md): the key creator's profile and the key's organization with every record, secrets masked, and the check results within retention. Gzip-encoded when the request sends Accept-Encoding: gzip. One export at a time per user.",
    response: { status: 200, schema: exportDocumentSchema, description: "The export, as an attachment" },
    errors: ["forbidden", "rate_limited"],
  },
  async ({ caller, req }) => {
    const out = await exportAccount({ userId: caller.ctx.actor.userId, input: { via: "api", organizationId: caller.ctx.org.id }, meta: caller.ctx.meta });
    return { response: jsonDownload(out.chunks, { filename: out.filename, gzip: acceptsGzip(req.headers) && "encoding" }) };
  },
);
