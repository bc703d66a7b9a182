import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A Stripe-compatible HTTP stub on loopback: answers the endpoints Perigee calls, records
 * every request (method, path, idempotency key, decoded form body), and keeps customers,
 * subscriptions and invoices in memory so tests can set what "Stripe" says.
 */
export type StubRequest = { method: string; path: string; query: URLSearchParams; idempotencyKey: string | undefined; auth: string | undefined; body: Record<string, unknown> };

type Obj = Record<string, unknown> & { id: string };

export type StripeStub = {
  url: string;
  requests: StubRequest[];
  customers: Map<string, Obj>;
  subscriptions: Map<string, Obj>;
  invoices: Obj[];
  /** Make the next N requests to a path prefix fail with this status. */
  failNext(pathPrefix: string, status: number, times?: number): void;
  close(): Promise<void>;
};

/** Decodes Stripe's bracket form encoding: `a[b][0][c]=1` → { a: { b: [{ c: "1" }] } }. */
export function decodeForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== "");
    let node: Record<string, unknown> | unknown[] = out;
    parts.forEach((p, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? "");
      const k = Array.isArray(node) ? Number(p) : p;
      const cur = (node as Record<string | number, unknown>)[k];
      if (last) (node as Record<string | number, unknown>)[k] = value;
      else {
        if (cur === undefined) (node as Record<string | number, unknown>)[k] = nextIsIndex ? [] : {};
        node = (node as Record<string | number, unknown>)[k] as Record<string, unknown>;
      }
    });
  }
  return out;
}

let seq = 0;
// Random as well as sequential: stubs of test files running at once share one database.
const newId = (prefix: string) => `${prefix}_test${Date.now().toString(36)}${randomBytes(3).toString("hex")}${(seq++).toString(36)}`;

export async function startStripeStub(): Promise<StripeStub> {
  const requests: StubRequest[] = [];
  const customers = new Map<string, Obj>();
  const subscriptions = new Map<string, Obj>();
  const invoices: Obj[] = [];
  const failures: { prefix: string; status: number; times: number }[] = [];
  let base = "";

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = "";
      req.on("data", (c) => (s += c));
      req.on("end", () => resolve(s));
    });
  const notFound = (what: string) => [404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}` } }] as const;

  function route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): readonly [number, unknown] {
    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/customers") {
      const c: Obj = { id: newId("cus"), object: "customer", email: body.email ?? null, name: body.name ?? null, address: null, tax_ids: { object: "list", data: [] }, metadata: body.metadata ?? {} };
      customers.set(c.id, c);
      return [200, c];
    }
    if ((m = path.match(/^\/v1\/customers\/([^/]+)$/))) {
      const c = customers.get(m[1]!);
      if (!c) return notFound("customer");
      if (method === "POST") Object.assign(c, body);
      return [200, c];
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const id = newId("cs");
      return [200, { id, object: "checkout.session", url: `${base}/checkout/${id}`, ...body }];
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const id = newId("bps");
      return [200, { id, object: "billing_portal.session", url: `${base}/portal/${id}`, ...body }];
    }
    if (method === "GET" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const s = subscriptions.get(m[1]!);
      return s ? [200, s] : notFound("subscription");
    }
    if (method === "GET" && path === "/v1/subscriptions") {
      const customer = query.get("customer");
      const data = [...subscriptions.values()].filter((s) => !customer || s.customer === customer);
      return [200, { object: "list", data, has_more: false, url: "/v1/subscriptions" }];
    }
    if (method === "GET" && path === "/v1/invoices") {
      const customer = query.get("customer");
      const data = invoices.filter((i) => !customer || i.customer === customer);
      return [200, { object: "list", data, has_more: false, url: "/v1/invoices" }];
    }
    if (method === "POST" && path === "/v1/invoices/create_preview") {
      const customer = String(body.customer ?? "");
      const sub = [...subscriptions.values()].find((s) => s.customer === customer);
      if (!sub) return notFound("upcoming invoice");
      return [200, { object: "invoice", customer, amount_due: 2900, currency: "usd", next_payment_attempt: null, period_end: Math.floor(Date.now() / 1000) + 30 * 86400 }];
    }
    return [404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}) — the Perigee Stripe stub does not answer it` } }];
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const raw = await read(req);
    const body = req.method === "POST" ? decodeForm(raw) : {};
    const idem = req.headers["idempotency-key"];
    requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, idempotencyKey: Array.isArray(idem) ? idem[0] : idem, auth: req.headers.authorization, body });
    // The hosted pages a browser is sent to (Playwright follows the checkout URL here).
    if (req.method === "GET" && /^\/(checkout|portal)\//.test(url.pathname)) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Stripe stub ${url.pathname.split("/")[1]}</title><h1>Stripe stub ${url.pathname.split("/")[1]}</h1><p id="session">${url.pathname.split("/")[2]}</p>`);
      return;
    }
    const f = failures.find((x) => url.pathname.startsWith(x.prefix) && x.times > 0);
    if (f) {
      f.times--;
      res.writeHead(f.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: "stub failure" } }));
      return;
    }
    const [status, payload] = route(req.method ?? "GET", url.pathname, url.searchParams, body);
    res.writeHead(status, { "content-type": "application/json", "request-id": newId("req") });
    res.end(JSON.stringify(payload));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    customers,
    subscriptions,
    invoices,
    failNext(prefix, status, times = 1) {
      failures.push({ prefix, status, times });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Puts a subscription into the stub as Stripe (API 2026-10-28) shapes it: the period on its
 * item. Calling it again with the same id replaces it, like a change made in Stripe.
 */
export function stubSubscription(
  stub: StripeStub,
  s: { id?: string; customer: string; price: string; status: string; cancelAtPeriodEnd?: boolean; trialEnd?: number | null; periodEnd?: number; metadata?: Record<string, string>; created?: number },
): Obj {
  const now = Math.floor(Date.now() / 1000);
  const id = s.id ?? newId("sub");
  const periodEnd = s.periodEnd ?? now + 30 * 86400;
  const sub: Obj = {
    id,
    object: "subscription",
    customer: s.customer,
    status: s.status,
    created: s.created ?? now,
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    cancel_at: null,
    trial_start: s.trialEnd ? now : null,
    trial_end: s.trialEnd ?? null,
    metadata: s.metadata ?? {},
    items: {
      object: "list",
      data: [{ id: newId("si"), object: "subscription_item", price: { id: s.price, object: "price" }, current_period_start: periodEnd - 30 * 86400, current_period_end: periodEnd }],
      has_more: false,
    },
  };
  stub.subscriptions.set(id, sub);
  return sub;
}
