import { openApiDocument } from "@/server/api/openapi";
import { env } from "@/server/env";
import { apiOperations } from "./api-routes";

/** The OpenAPI document of this install, from the operations the route files declare. */
export function apiDocument(serverUrl = env().APP_URL): Record<string, unknown> {
  return openApiDocument(serverUrl, apiOperations());
}
