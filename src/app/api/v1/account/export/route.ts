import { errorSchema } from "@/server/api/views";
import { NotImplemented } from "@/server/errors";
import { operation } from "@/web/api-v1";

export const dynamic = "force-dynamic";

/** The privacy issue builds the export; until then the scope exists and the answer says so. */
export const GET = operation(
  {
    method: "GET",
    path: "/api/v1/account/export",
    scope: "account:export",
    summary: "Export the organization's data (not available yet: 501)",
    response: { status: 501, schema: errorSchema, description: "Not implemented yet" },
    errors: ["not_implemented"],
  },
  async () => {
    throw new NotImplemented("The self-service JSON export is not available yet. It will return every record of the organization as JSON.");
  },
);
