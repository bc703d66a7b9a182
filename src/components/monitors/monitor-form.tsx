"use client";
import { useActionState, useState, useTransition } from "react";
import { saveMonitorAction, testMonitorAction } from "@/app/(dashboard)/monitors/actions";
import { FormMessage } from "@/components/ui/field";
import type { CheckResult } from "@/server/checks/types";
import type { MonitorView } from "@/server/services/monitors/view";
import type { FormState } from "@/web/action";
import { TestResult } from "./test-result";

const TYPES = [
  ["http", "HTTP(S) — status, keyword, JSON"],
  ["tcp", "TCP port"],
  ["ssl", "SSL certificate"],
  ["dns", "DNS record"],
  ["heartbeat", "Heartbeat (cron job pings us)"],
] as const;

const INTERVALS: [number, string][] = [
  [30, "30 seconds"],
  [60, "1 minute"],
  [120, "2 minutes"],
  [300, "5 minutes"],
  [600, "10 minutes"],
  [900, "15 minutes"],
  [1800, "30 minutes"],
  [3600, "1 hour"],
  [21600, "6 hours"],
  [43200, "12 hours"],
  [86400, "24 hours"],
];

type Props = { monitor?: MonitorView; regions: string[] };

function statusText(v: unknown): string {
  if (!Array.isArray(v)) return "200-299";
  return v.map((e) => (typeof e === "number" ? String(e) : `${(e as { from: number }).from}-${(e as { to: number }).to}`)).join(", ");
}

export function MonitorForm({ monitor, regions }: Props) {
  const [save, saveAction] = useActionState<FormState, FormData>(saveMonitorAction, {});
  const [test, testAction] = useActionState<FormState, FormData>(testMonitorAction, {});
  const [type, setType] = useState<string>(monitor?.type ?? "http");
  const [method, setMethod] = useState(monitor?.method ?? "GET");
  const [authType, setAuthType] = useState(monitor?.authType ?? "none");
  const [headers, setHeaders] = useState<[string, string][]>(Object.entries(monitor?.headers ?? {}));
  const [pending, startTransition] = useTransition();
  const err = (k: string) => save.fields?.[k] ?? test.fields?.[k];
  const v = (k: string, fallback?: unknown) => save.values?.[k] ?? (fallback === undefined || fallback === null ? undefined : String(fallback));

  const field = (name: string, label: string, props: React.InputHTMLAttributes<HTMLInputElement> & { hint?: string; fallback?: unknown } = {}) => {
    const { hint, fallback, ...rest } = props;
    const e = err(name);
    return (
      <div className="field">
        <label htmlFor={`m-${name}`}>{label}</label>
        <input id={`m-${name}`} name={name} defaultValue={v(name, fallback)} aria-invalid={e ? true : undefined} aria-describedby={[hint ? `m-${name}-hint` : "", e ? `m-${name}-err` : ""].filter(Boolean).join(" ") || undefined} {...rest} />
        {hint && (
          <span id={`m-${name}-hint`} className="hint">
            {hint}
          </span>
        )}
        {e?.map((m) => (
          <p key={m} id={`m-${name}-err`} className="field-error" role="alert">
            {m}
          </p>
        ))}
      </div>
    );
  };
  const checkbox = (name: string, label: string, checked: boolean | undefined) => (
    <label className="row check" htmlFor={`m-${name}`}>
      <input type="hidden" name={`${name}__present`} value="1" />
      <input id={`m-${name}`} type="checkbox" name={name} defaultChecked={checked} /> {label}
    </label>
  );
  const select = (name: string, label: string, options: [string | number, string][], value: string | number, onChange?: (v: string) => void) => (
    <div className="field">
      <label htmlFor={`m-${name}`}>{label}</label>
      <select id={`m-${name}`} name={name} defaultValue={onChange ? undefined : String(v(name, value))} value={onChange ? String(value) : undefined} onChange={onChange ? (e) => onChange(e.target.value) : undefined}>
        {options.map(([val, text]) => (
          <option key={val} value={val}>
            {text}
          </option>
        ))}
      </select>
      {err(name)?.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
    </div>
  );

  const result = test.data?.result as CheckResult | undefined;
  return (
    <form
      className="form monitor-form"
      noValidate
      onSubmit={(e) => {
        // Submitted by hand (not <form action>) so "Test now" does not reset what the user typed.
        e.preventDefault();
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        const fd = new FormData(e.currentTarget);
        startTransition(() => (submitter?.value === "test" ? testAction(fd) : saveAction(fd)));
      }}
    >
      {monitor && <input type="hidden" name="monitorId" value={monitor.id} />}
      <FormMessage message={save.fields ? "Please fix the highlighted fields." : save.message} />
      <section className="card">
        <h2 className="card-title">What to monitor</h2>
        {monitor ? (
          <>
            <input type="hidden" name="type" value={type} />
            <p className="muted">Type: {TYPES.find(([t]) => t === type)?.[1]}</p>
          </>
        ) : (
          select("type", "Monitor type", TYPES.map(([a, b]) => [a, b]), type, setType)
        )}
        {field("name", "Name", { required: true, fallback: monitor?.name, placeholder: "Checkout API" })}
        {type === "http" && (
          <>
            {field("url", "URL", { type: "url", required: true, fallback: monitor?.url, placeholder: "https://example.com/health", hint: "http:// or https://" })}
            <div className="grid-2">
              {select("method", "Method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].map((m) => [m, m]), method, setMethod)}
              {field("expectedStatus", "Expected status codes", { fallback: statusText(monitor?.expectedStatus), hint: "Codes or ranges, e.g. 200-299, 301" })}
            </div>
            {method !== "GET" && method !== "HEAD" && (
              <div className="field">
                <label htmlFor="m-body">Request body</label>
                <textarea id="m-body" name="body" rows={3} defaultValue={v("body", monitor?.body)} />
                {err("body")?.map((m) => (
                  <p key={m} className="field-error" role="alert">
                    {m}
                  </p>
                ))}
              </div>
            )}
          </>
        )}
        {(type === "tcp" || type === "ssl") && (
          <div className="grid-2">
            {field("host", "Host", { required: true, fallback: monitor?.host, placeholder: "db.example.com" })}
            {field("port", "Port", { type: "number", min: 1, max: 65535, fallback: monitor?.port ?? (type === "ssl" ? 443 : undefined) })}
          </div>
        )}
        {type === "ssl" && field("expiryThresholdDays", "Alert when fewer days remain", { type: "number", min: 0, fallback: monitor?.expiryThresholdDays ?? 14 })}
        {type === "dns" && (
          <>
            <div className="grid-2">
              {field("hostname", "Hostname", { required: true, fallback: monitor?.hostname, placeholder: "example.com" })}
              {select("recordType", "Record type", ["A", "AAAA", "CNAME", "MX", "TXT", "NS"].map((t) => [t, t]), monitor?.recordType ?? "A")}
            </div>
            <div className="field">
              <label htmlFor="m-expected">Expected values</label>
              <textarea id="m-expected" name="expected" rows={2} defaultValue={v("expected", monitor?.expected?.join("\n"))} aria-describedby="m-expected-hint" />
              <span id="m-expected-hint" className="hint">
                One per line; all must be in the answer. Empty: any answer passes.
              </span>
            </div>
            {field("resolver", "Resolver (optional)", { fallback: monitor?.resolver, placeholder: "1.1.1.1 or 9.9.9.9:53" })}
          </>
        )}
        {type === "heartbeat" && (
          <p className="muted">Your job calls a secret URL (shown after saving) every interval. Perigee alerts when a ping is late by more than the grace period.</p>
        )}
      </section>

      {type === "http" && (
        <section className="card">
          <h2 className="card-title">Checks on the response</h2>
          <div className="grid-2">
            {field("keyword", "Keyword", { fallback: monitor?.keyword, hint: "Case-sensitive text the body must contain" })}
            <div className="field" style={{ alignSelf: "center" }}>
              {checkbox("keywordAbsent", "Alert when the keyword is present instead", monitor?.keywordAbsent)}
            </div>
          </div>
          <div className="grid-3">
            {field("jsonPath", "JSON path", { fallback: monitor?.jsonPath, placeholder: "$.status" })}
            {select("jsonMatch", "Match", [["equals", "equals"], ["contains", "contains"]], monitor?.jsonMatch ?? "equals")}
            {field("jsonExpected", "Expected value", { fallback: monitor?.jsonExpected, placeholder: "ok" })}
          </div>
          <div className="grid-2">
            {field("degradedAboveMs", "Degraded above (ms)", { type: "number", min: 1, fallback: monitor?.degradedAboveMs, hint: "Slower responses mark the monitor DEGRADED" })}
            {field("sslExpiryDays", "Certificate expiry alert (days)", { type: "number", min: 0, fallback: monitor?.sslExpiryDays ?? 0, hint: "https only; 0 = off" })}
          </div>
          {checkbox("followRedirects", "Follow redirects (up to 5)", monitor?.followRedirects ?? true)}
          <details className="advanced" open={headers.length > 0 || authType !== "none"}>
            <summary>Headers and authentication</summary>
            <input type="hidden" name="headerName__present" value="1" />
            {headers.map(([name, value], i) => (
              <div className="grid-2 header-row" key={i}>
                <div className="field">
                  <label htmlFor={`m-hn-${i}`}>Header name</label>
                  <input id={`m-hn-${i}`} name="headerName" defaultValue={name} />
                </div>
                <div className="field">
                  <label htmlFor={`m-hv-${i}`}>Header value</label>
                  <input id={`m-hv-${i}`} name="headerValue" defaultValue={value} />
                </div>
              </div>
            ))}
            {err("headers")?.map((m) => (
              <p key={m} className="field-error" role="alert">
                {m}
              </p>
            ))}
            <button type="button" className="btn secondary small" onClick={() => setHeaders((h) => [...h, ["", ""]])}>
              Add header
            </button>
            {select("authType", "Authentication", [["none", "None"], ["basic", "Basic (username + password)"], ["bearer", "Bearer token"]], authType, setAuthType)}
            {authType === "basic" && (
              <div className="grid-2">
                {field("authUsername", "Username", { fallback: monitor?.authUsername, autoComplete: "off" })}
                {field("authPassword", "Password", { type: "password", autoComplete: "new-password", hint: monitor ? "Leave empty to keep the current one" : undefined })}
              </div>
            )}
            {authType === "bearer" && field("authToken", "Token", { type: "password", autoComplete: "off", hint: monitor ? "Leave empty to keep the current one" : undefined })}
          </details>
        </section>
      )}

      <section className="card">
        <h2 className="card-title">Schedule and alerting</h2>
        <div className="grid-3">
          {select("intervalSeconds", type === "heartbeat" ? "Expected every" : "Interval", INTERVALS, monitor?.intervalSeconds ?? 60)}
          {type !== "heartbeat" && field("timeoutMs", "Timeout (ms)", { type: "number", min: 500, max: 60000, fallback: monitor?.timeoutMs ?? 10000 })}
          {type === "heartbeat" && field("heartbeatGraceSeconds", "Grace period (seconds)", { type: "number", min: 0, fallback: monitor?.heartbeatGraceSeconds ?? 60 })}
        </div>
        {type !== "heartbeat" && (
          <div className="grid-3">
            {field("confirmations", "Confirmations before DOWN", { type: "number", min: 1, max: 10, fallback: monitor?.confirmations ?? 2, hint: "Consecutive failures needed" })}
            {field("recoveries", "Successes before UP again", { type: "number", min: 1, max: 10, fallback: monitor?.recoveries ?? 1 })}
            <fieldset className="field">
              <legend>Regions</legend>
              <input type="hidden" name="regions__present" value="1" />
              {regions.map((r) => (
                <label key={r} className="row check">
                  <input type="checkbox" name="regions" value={r} defaultChecked={(monitor?.regions ?? ["default"]).includes(r)} /> {r}
                </label>
              ))}
              {err("regions")?.map((m) => (
                <p key={m} className="field-error" role="alert">
                  {m}
                </p>
              ))}
            </fieldset>
          </div>
        )}
        {checkbox("paused", "Paused", monitor?.paused ?? false)}
      </section>

      <div className="row form-actions">
        <button className="btn" type="submit" name="intent" value="save" disabled={pending} aria-busy={pending}>
          {monitor ? "Save changes" : "Create monitor"}
        </button>
        {type !== "heartbeat" && (
          <button className="btn secondary" type="submit" name="intent" value="test" disabled={pending}>
            Test now
          </button>
        )}
        {pending && <span className="muted">Working…</span>}
      </div>
      {test.message && !result && <FormMessage message={test.fields ? "Fix the highlighted fields to run a test." : test.message} />}
      {result && <TestResult result={result} />}
    </form>
  );
}
