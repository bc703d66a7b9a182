import type { z } from "zod";
import { Invalid, RequestRefused, type FieldErrors } from "@/server/errors";
import { parseInput, refuseControlChars } from "@/server/lib/parse";

/** The one request body limit (REST API, dispatcher, cookie-authenticated JSON routes). */
export const MAX_BODY_BYTES = 256 * 1024;

const tooLarge = () => new RequestRefused("payload_too_large", "The request body is larger than 256 KiB.");
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * Reads a JSON request body: at most MAX_BODY_BYTES, UTF-8, and — unless the route is a
 * same-origin browser endpoint — sent as `Content-Type: application/json` (a `text/plain`
 * body, or a body with no type, is 415 rather than guessed at). An empty body is `undefined`.
 */
export async function readJsonBody(req: Request, opts: { requireJsonType?: boolean } = {}): Promise<{ raw: string; body: unknown }> {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  let raw: string;
  try {
    raw = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RequestRefused("invalid_json", "The request body is not valid UTF-8 JSON.");
  }
  if (!raw.trim()) return { raw, body: undefined };
  if (opts.requireJsonType !== false && !JSON_TYPE.test(req.headers.get("content-type") ?? "")) {
    throw new RequestRefused("unsupported_media_type", "Send the request body as JSON with Content-Type: application/json.");
  }
  try {
    return { raw, body: JSON.parse(raw) };
  } catch {
    throw new RequestRefused("invalid_json", "The request body is not valid JSON.");
  }
}

/** PATCH/POST bodies must be JSON objects, without control characters in any field. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Invalid("The request body must be a JSON object.", { _body: ["Send a JSON object"] });
  refuseControlChars(body);
  return body as Record<string, unknown>;
}

/**
 * Query parameters against the operation's declared schema: unknown or repeated parameters
 * are refused (so a typo or `?_method=DELETE` never silently does nothing), and malformed
 * values are 400 with a message per parameter.
 */
export function parseQuery<S extends z.ZodObject>(url: URL, schema: S): z.output<S> {
  const allowed = Object.keys(schema.shape);
  const raw: Record<string, string> = {};
  const fields: FieldErrors = {};
  for (const [k, v] of url.searchParams) {
    if (!allowed.includes(k)) fields[k] = [`Not a parameter of this endpoint (allowed: ${allowed.join(", ") || "none"})`];
    else if (k in raw) fields[k] = ["Give this parameter once"];
    raw[k] = v;
  }
  const unknown = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new Invalid(`Unknown query parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, fields);
  if (Object.keys(fields).length) throw new Invalid(`Repeated query parameter: ${Object.keys(fields).join(", ")}`, fields);
  return parseInput(schema, raw);
}
