import { apiError, apiRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

/** The privacy issue builds the export; until then the scope exists and the answer says so. */
export const GET = apiRoute({ route: "/api/v1/account/export", scope: "account:export" }, async ({ req }) => {
  const requestId = req.headers.get("x-request-id") ?? "";
  const res = apiError(501, "not_implemented", "The self-service JSON export is not available yet. It will return every record of the organization as JSON.", requestId);
  return { status: 501, body: await res.json() };
});
