import { apiDocument } from "@/web/api-doc";
import { publicJsonRoute } from "@/web/api-v1";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document, public (it describes the API, not anyone's data). */
export const GET = publicJsonRoute("/api/v1/openapi.json", () => apiDocument());
