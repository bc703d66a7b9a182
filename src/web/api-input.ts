import { Invalid } from "@/server/errors";

/** PATCH/POST bodies must be JSON objects. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Invalid("The request body must be a JSON object.", { _body: ["Send a JSON object"] });
  return body as Record<string, unknown>;
}

/** Query parameters a route does not know are refused, so typos don't silently do nothing. */
export function knownQuery(url: URL, allowed: string[]): void {
  const unknown = [...url.searchParams.keys()].filter((k) => !allowed.includes(k));
  if (unknown.length) throw new Invalid(`Unknown query parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, Object.fromEntries(unknown.map((k) => [k, [`Not a parameter of this endpoint (allowed: ${allowed.join(", ") || "none"})`]])));
}
