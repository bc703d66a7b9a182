import { openApiDocument } from "@/server/api/openapi";
import { env } from "@/server/env";
import { publicJson } from "@/web/api-v1";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document, public (it describes the API, not anyone's data). */
export function GET() {
  return publicJson(openApiDocument(env().APP_URL));
}
