import { apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

/** The privacy issue builds the export; until then the scope exists and the answer says so. */
export const GET = apiRoute({ route: "/api/v1/account/export", scope: "account:export" }, async ({ requestId }) => ({
  status: 501,
  body: { error: { code: "not_implemented", message: "The self-service JSON export is not available yet. It will return every record of the organization as JSON.", requestId } },
}));
