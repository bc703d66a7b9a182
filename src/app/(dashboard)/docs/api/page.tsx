import { ERROR_CODES } from "@/server/errors";
import { apiDocument } from "@/web/api-doc";
import { requireCtx } from "@/web/session";

export const metadata = { title: "API reference" };

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
  description?: string;
};
type Op = {
  summary: string;
  "x-required-scope": string;
  parameters: { name: string; in: string; required?: boolean; description?: string; schema: Schema }[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, { description: string }>;
};

function typeOf(s: Schema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf)!.map(typeOf).join(" | ");
  if (s.type === "array") return `${s.items ? typeOf(s.items) : "any"}[]`;
  return Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
}

function limits(s: Schema): string {
  const out = [];
  if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
  if (s.maxLength !== undefined) out.push(`max ${s.maxLength} chars`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out.join(", ");
}

function Fields({ schema }: { schema: Schema }) {
  const variants = schema.oneOf ?? [schema];
  return (
    <>
      {variants.map((v, i) => (
        <table key={i} className="table compact" style={{ marginBottom: "0.75rem" }}>
          {variants.length > 1 && <caption style={{ textAlign: "left", fontWeight: 600 }}>type = {JSON.stringify(v.properties?.type?.const)}</caption>}
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Rules</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(v.properties ?? {}).map(([k, p]) => (
              <tr key={k}>
                <td className="mono">
                  {k}
                  {v.required?.includes(k) && <span className="muted"> (required)</span>}
                </td>
                <td className="mono">{typeOf(p)}</td>
                <td className="muted">{[limits(p), p.description].filter(Boolean).join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}

export default async function ApiDocsPage() {
  await requireCtx();
  const doc = apiDocument() as { info: { description: string }; servers: { url: string }[]; paths: Record<string, Record<string, Op>> };
  const base = doc.servers[0]!.url;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>REST API reference</h1>
          <p>{doc.info.description}</p>
          <p>
            Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Base URL <code>{base}</code>.
          </p>
        </div>
      </div>
      <section className="card">
        <h2 className="card-title">Quick start</h2>
        <pre className="mono" style={{ whiteSpace: "pre-wrap" }}>{`curl -H "Authorization: Bearer $PERIGEE_KEY" ${base}/monitors

curl -X POST -H "Authorization: Bearer $PERIGEE_KEY" -H "Content-Type: application/json" \\
  -H "Idempotency-Key: deploy-1234" \\
  -d '{"name":"API","type":"http","url":"https://api.example.com/health","intervalSeconds":60}' \\
  ${base}/monitors`}</pre>
        <p className="muted">
          Errors: <code>{`{"error":{"code","message","details"?,"limit"?,"requestId","docs"}}`}</code> (codes <a href="#error-codes">below</a>) — 400 with field details, 401 bad key, 402 a plan limit
          (with <code>limit</code>), 403 missing scope, 404 not found (also for other organizations&apos; ids), 409/422 conflicts, 429 with <code>Retry-After</code>. Every answer carries{" "}
          <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code>.
        </p>
      </section>
      <section className="card" id="error-codes">
        <h2 className="card-title">Error codes</h2>
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Status</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(ERROR_CODES).map(([code, e]) => (
              <tr key={code} id={`error-${code}`}>
                <td className="mono">{code}</td>
                <td>{e.status}</td>
                <td className="muted">{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => (
          <section key={`${method} ${path}`} className="card" id={`${method}-${path.replace(/[^a-z]/gi, "-")}`}>
            <h2 className="card-title">
              <span className="badge">{method.toUpperCase()}</span> <code>{path}</code> — {op.summary}
            </h2>
            <p className="muted">
              Scope: <code>{op["x-required-scope"]}</code>
            </p>
            {op.parameters.length > 0 && (
              <table className="table compact" style={{ marginBottom: "0.75rem" }}>
                <thead>
                  <tr>
                    <th scope="col">Parameter</th>
                    <th scope="col">In</th>
                    <th scope="col">Type</th>
                    <th scope="col">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {op.parameters.map((p) => (
                    <tr key={p.name}>
                      <td className="mono">{p.name}</td>
                      <td>{p.in}</td>
                      <td className="mono">{typeOf(p.schema)}</td>
                      <td className="muted">{[p.description, limits(p.schema)].filter(Boolean).join("; ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {op.requestBody && (
              <>
                <h3 className="card-title">Body</h3>
                <Fields schema={op.requestBody.content["application/json"].schema} />
              </>
            )}
            <p className="muted">
              Responses:{" "}
              {Object.entries(op.responses)
                .map(([code, r]) => `${code} ${r.description}`)
                .join(" · ")}
            </p>
          </section>
        )),
      )}
    </>
  );
}
