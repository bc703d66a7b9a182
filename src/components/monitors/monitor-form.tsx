"use client";
import { useActionState, useState, useTransition } from "react";
import { saveMonitorAction, testMonitorAction } from "@/app/(dashboard)/monitors/actions";
import type { CheckResult } from "@/server/checks/types";
import type { MonitorView } from "@/server/services/monitors/view";
import type { FormState } from "@/web/action";
import { TestResult } from "./test-result";

type MonitorType = MonitorView["type"];

const TYPES: [MonitorType, string, string][] = [
  ["http", "HTTP(S)", "Status code, keyword or JSON value of a URL"],
  ["tcp", "TCP port", "A host accepts connections on a port"],
  ["ssl", "SSL certificate", "Valid and not about to expire"],
  ["dns", "DNS record", "Resolves to the values you expect"],
  ["heartbeat", "Heartbeat", "Your cron job pings Perigee on schedule"],
];

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

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS"];

export type ChannelOption = { id: string; name: string; type: string; isDefault: boolean };
type Props = { monitor?: MonitorView; regions: string[]; channels?: ChannelOption[] };
type HeaderRow = { key: number; name: string; value: string };

function statusText(v: unknown): string {
  if (!Array.isArray(v)) return "200-299";
  return v.map((e) => (typeof e === "number" ? String(e) : `${(e as { from: number }).from}-${(e as { to: number }).to}`)).join(", ");
}

/** "expectedStatus.0" and "headers.X Y" errors belong to the expectedStatus and headers fields. */
function groupErrors(fields: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, msgs] of Object.entries(fields)) {
    const [head, ...rest] = key.split(".");
    const sub = rest.join(".");
    (out[head!] ??= []).push(...msgs.map((m) => (sub && !/^\d+$/.test(sub) ? `${sub}: ${m}` : m)));
  }
  return out;
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** Label, hint and errors around one control, wired up with ids for screen readers. */
function Field({ name, label, hint, errors, children, className }: { name: string; label: string; hint?: string; errors?: string[]; children: React.ReactNode; className?: string }) {
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
      <label htmlFor={`m-${name}`}>{label}</label>
      {children}
      {hint && (
        <span id={`m-${name}-hint`} className="hint">
          {hint}
        </span>
      )}
      {errors?.map((m) => (
        <p key={m} id={`m-${name}-err`} className="field-error" role="alert">
          {m}
        </p>
      ))}
    </div>
  );
}

/** One form for creating and editing every monitor type; only the fields of the chosen type are rendered and sent. */
export function MonitorForm({ monitor, regions, channels = [] }: Props) {
  const [save, saveAction] = useActionState<FormState, FormData>(saveMonitorAction, {});
  const [test, testAction] = useActionState<FormState, FormData>(testMonitorAction, {});
  const [type, setType] = useState<MonitorType>(monitor?.type ?? "http");
  const [method, setMethod] = useState(monitor?.method ?? "GET");
  const [authType, setAuthType] = useState(monitor?.authType ?? "none");
  const [headers, setHeaders] = useState<HeaderRow[]>(() => Object.entries(monitor?.headers ?? {}).map(([n, v], i) => ({ key: i, name: n, value: v })));
  const [pending, startTransition] = useTransition();
  const [lastIntent, setLastIntent] = useState<"save" | "test">("save");
  const [routing, setRouting] = useState<"default" | "custom">(monitor?.channelIds ? "custom" : "default");

  // Field errors of whichever action ran last; errors the form has no field for are listed at the top.
  const fields = groupErrors((lastIntent === "test" ? test.fields : save.fields) ?? {});
  const shown = new Set<string>();
  const err = (k: string) => {
    shown.add(k);
    return fields[k];
  };
  const typed = (k: string, fallback?: unknown) => save.values?.[k] ?? str(fallback);
  const a11y = (name: string, hint?: boolean) => {
    const e = err(name);
    return {
      id: `m-${name}`,
      name,
      "aria-invalid": e ? true : undefined,
      "aria-describedby": [hint ? `m-${name}-hint` : "", e ? `m-${name}-err` : ""].filter(Boolean).join(" ") || undefined,
    } as const;
  };
  const input = (name: string, label: string, props: React.InputHTMLAttributes<HTMLInputElement> & { hint?: string; fallback?: unknown } = {}) => {
    const { hint, fallback, ...rest } = props;
    return (
      <Field name={name} label={label} hint={hint} errors={fields[name]}>
        <input {...a11y(name, !!hint)} defaultValue={typed(name, fallback)} {...rest} />
      </Field>
    );
  };
  const select = (name: string, label: string, options: (string | [string | number, string])[], opts: { value?: string; onChange?: (v: string) => void; fallback?: unknown; hint?: string } = {}) => (
    <Field name={name} label={label} hint={opts.hint} errors={fields[name]}>
      <select
        {...a11y(name, !!opts.hint)}
        {...(opts.onChange ? { value: opts.value, onChange: (e: React.ChangeEvent<HTMLSelectElement>) => opts.onChange!(e.target.value) } : { defaultValue: typed(name, opts.fallback) })}
      >
        {options.map((o) => {
          const [val, text] = Array.isArray(o) ? o : [o, o];
          return (
            <option key={val} value={val}>
              {text}
            </option>
          );
        })}
      </select>
    </Field>
  );
  const checkbox = (name: string, label: string, checked: boolean | undefined, hint?: string) => (
    <div className="check-field">
      <input type="hidden" name={`${name}__present`} value="1" />
      <label className="check" htmlFor={`m-${name}`}>
        <input id={`m-${name}`} type="checkbox" name={name} defaultChecked={save.values ? save.values[name] === "on" : checked} aria-describedby={hint ? `m-${name}-hint` : undefined} />
        {label}
      </label>
      {hint && (
        <span id={`m-${name}-hint`} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
  const secretHint = monitor ? "Leave empty to keep the current value" : undefined;

  const what = (
    <section className="card form-section">
      <h2 className="card-title">What to monitor</h2>
      {monitor ? (
        <p className="muted">
          <input type="hidden" name="type" value={type} />
          Type: <strong>{TYPES.find(([t]) => t === type)?.[1]}</strong> <span className="small-text">(a monitor&rsquo;s type cannot change; create a new one instead)</span>
        </p>
      ) : (
        <fieldset className="type-picker" aria-describedby={err("type") ? "m-type-err" : undefined}>
          <legend>Monitor type</legend>
          <div className="type-options">
            {TYPES.map(([t, title, desc]) => (
              <label key={t} className="type-option">
                <input type="radio" name="type" value={t} checked={type === t} onChange={() => setType(t)} />
                <span className="type-title">{title}</span>
                <span className="type-desc">{desc}</span>
              </label>
            ))}
          </div>
          {fields.type?.map((m) => (
            <p key={m} id="m-type-err" className="field-error" role="alert">
              {m}
            </p>
          ))}
        </fieldset>
      )}
      {input("name", "Name", { required: true, maxLength: 120, fallback: monitor?.name, placeholder: type === "heartbeat" ? "Nightly backup" : "Checkout API", autoComplete: "off" })}
      {type === "http" && (
        <>
          {input("url", "URL", { type: "url", required: true, fallback: monitor?.url, placeholder: "https://example.com/health", hint: "http:// or https://, with the path to check", autoComplete: "off" })}
          <div className="grid-2">
            {select("method", "Method", METHODS, { value: method, onChange: setMethod })}
            {input("expectedStatus", "Expected status codes", { fallback: statusText(monitor?.expectedStatus), hint: "Codes and ranges, e.g. 200-299, 301" })}
          </div>
          {method !== "GET" && method !== "HEAD" && (
            <Field name="body" label="Request body" errors={err("body")}>
              <textarea {...a11y("body")} rows={4} className="mono" defaultValue={typed("body", monitor?.body)} />
            </Field>
          )}
        </>
      )}
      {(type === "tcp" || type === "ssl") && (
        <div className="grid-host" key={type}>
          {input("host", "Host", { required: true, fallback: monitor?.host, placeholder: type === "ssl" ? "example.com" : "db.example.com", autoComplete: "off" })}
          {input("port", "Port", { type: "number", min: 1, max: 65535, required: type === "tcp", fallback: monitor?.port ?? (type === "ssl" ? 443 : undefined) })}
        </div>
      )}
      {type === "ssl" &&
        input("expiryThresholdDays", "Alert when the certificate expires within (days)", { type: "number", min: 0, max: 365, fallback: monitor?.expiryThresholdDays ?? 14 })}
      {type === "dns" && (
        <>
          <div className="grid-host">
            {input("hostname", "Hostname", { required: true, fallback: monitor?.hostname, placeholder: "example.com", autoComplete: "off" })}
            {select("recordType", "Record type", RECORD_TYPES, { fallback: monitor?.recordType ?? "A" })}
          </div>
          <Field name="expected" label="Expected values" hint="Comma or one per line; each must be in the answer. Leave empty to accept any answer." errors={err("expected")}>
            <textarea {...a11y("expected", true)} rows={2} className="mono" defaultValue={typed("expected", monitor?.expected?.join("\n"))} placeholder="93.184.215.14" />
          </Field>
          {input("resolver", "Resolver (optional)", { fallback: monitor?.resolver, placeholder: "1.1.1.1 or 9.9.9.9:53", hint: "Empty: the system resolver" })}
        </>
      )}
      {type === "heartbeat" && (
        <p className="muted">Your job requests a secret URL each time it runs; the URL is shown on the monitor&rsquo;s page after saving. Perigee alerts when a ping is late by more than the grace period.</p>
      )}
    </section>
  );

  const response = type === "http" && (
    <section className="card form-section">
      <h2 className="card-title">Checks on the response</h2>
      <div className="grid-2">
        {input("keyword", "Keyword", { fallback: monitor?.keyword, hint: "Case-sensitive text the body must contain" })}
        <div className="field-aside">{checkbox("keywordAbsent", "Alert when the keyword is present", monitor?.keywordAbsent, "For error pages: DOWN when the text appears")}</div>
      </div>
      <div className="grid-json">
        {input("jsonPath", "JSON path", { fallback: monitor?.jsonPath, placeholder: "$.status" })}
        {select("jsonMatch", "Match", ["equals", "contains"], { fallback: monitor?.jsonMatch ?? "equals" })}
        {input("jsonExpected", "Expected JSON value", { fallback: monitor?.jsonExpected, placeholder: "ok" })}
      </div>
      <div className="grid-2">
        {input("degradedAboveMs", "Degraded above (ms)", { type: "number", min: 1, max: 60000, fallback: monitor?.degradedAboveMs, hint: "Slower responses mark the monitor DEGRADED" })}
        {input("sslExpiryDays", "Certificate expiry alert (days)", { type: "number", min: 0, max: 365, fallback: monitor?.sslExpiryDays ?? 0, hint: "https only; 0 turns it off" })}
      </div>
      {checkbox("followRedirects", "Follow redirects (up to 5)", monitor?.followRedirects ?? true)}
      <details className="advanced" open={headers.length > 0 || authType !== "none" || !!(fields.headers || fields.authUsername || fields.authToken || fields.authPassword)}>
        <summary>Request headers and authentication</summary>
        <div className="advanced-body">
        <fieldset className="headers">
          <legend>Headers</legend>
          <input type="hidden" name="headers__present" value="1" />
          {headers.length === 0 && <p className="muted small-text">No custom headers.</p>}
          {headers.map((h, i) => (
            <div className="header-row" key={h.key}>
              <div className="field">
                <label htmlFor={`m-hn-${h.key}`}>Header {i + 1} name</label>
                <input id={`m-hn-${h.key}`} name="headerName" defaultValue={h.name} placeholder="X-Api-Key" autoComplete="off" />
              </div>
              <div className="field">
                <label htmlFor={`m-hv-${h.key}`}>Header {i + 1} value</label>
                <input id={`m-hv-${h.key}`} name="headerValue" defaultValue={h.value} autoComplete="off" />
              </div>
              <button type="button" className="btn secondary small" aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders((rows) => rows.filter((r) => r.key !== h.key))}>
                Remove
              </button>
            </div>
          ))}
          {monitor && headers.some((h) => h.value === "••••••") && <p className="hint">Saved values are hidden as ••••••; leave them untouched to keep them.</p>}
          {err("headers")?.map((m) => (
            <p key={m} className="field-error" role="alert">
              {m}
            </p>
          ))}
          <div>
            <button type="button" className="btn secondary small" onClick={() => setHeaders((rows) => [...rows, { key: Math.max(-1, ...rows.map((r) => r.key)) + 1, name: "", value: "" }])}>
              Add header
            </button>
          </div>
        </fieldset>
        {select(
          "authType",
          "Authentication",
          [
            ["none", "None"],
            ["basic", "Basic (username and password)"],
            ["bearer", "Bearer token"],
          ],
          { value: authType, onChange: setAuthType },
        )}
        {authType === "basic" && (
          <div className="grid-2">
            {input("authUsername", "Username", { fallback: monitor?.authUsername, autoComplete: "off" })}
            {input("authPassword", "Password", { type: "password", autoComplete: "new-password", hint: secretHint })}
          </div>
        )}
        {authType === "bearer" && input("authToken", "Token", { type: "password", autoComplete: "off", hint: secretHint })}
        </div>
      </details>
    </section>
  );

  const schedule = (
    <section className="card form-section">
      <h2 className="card-title">Schedule and alerting</h2>
      <div className="grid-3">
        {select("intervalSeconds", type === "heartbeat" ? "Expected every" : "Interval", INTERVALS, { fallback: monitor?.intervalSeconds ?? 60 })}
        {type !== "heartbeat" && input("timeoutMs", "Timeout (ms)", { type: "number", min: 500, max: 60000, step: 100, fallback: monitor?.timeoutMs ?? 10000 })}
        {type === "heartbeat" && input("heartbeatGraceSeconds", "Grace period (seconds)", { type: "number", min: 0, max: 86400, fallback: monitor?.heartbeatGraceSeconds ?? 60, hint: "How late a ping may be" })}
      </div>
      {type !== "heartbeat" && (
        <>
          <div className="grid-3">
            {input("confirmations", "Confirmations before DOWN", { type: "number", min: 1, max: 10, fallback: monitor?.confirmations ?? 2, hint: "Consecutive failed checks" })}
            {input("recoveries", "Recoveries before UP", { type: "number", min: 1, max: 10, fallback: monitor?.recoveries ?? 1, hint: "Consecutive passing checks" })}
          </div>
          <fieldset className="regions" aria-describedby={err("regions") ? "m-regions-err" : undefined}>
            <legend>Regions</legend>
            <input type="hidden" name="regions__present" value="1" />
            <div className="row">
              {regions.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" name="regions" value={r} defaultChecked={(monitor?.regions ?? ["default"]).includes(r)} /> {r}
                </label>
              ))}
            </div>
            {fields.regions?.map((m) => (
              <p key={m} id="m-regions-err" className="field-error" role="alert">
                {m}
              </p>
            ))}
          </fieldset>
        </>
      )}
      {checkbox("paused", "Paused", monitor?.paused ?? false, "A paused monitor runs no checks and sends no alerts")}
    </section>
  );

  const defaults = channels.filter((c) => c.isDefault);
  const alerts = (
    <section className="card form-section" aria-labelledby="m-alerts">
      <h2 className="card-title" id="m-alerts">
        Notifications
      </h2>
      <input type="hidden" name="channels__present" value="1" />
      <fieldset className="routing">
        <legend>Alert these channels</legend>
        <label className="check">
          <input type="radio" name="channelRouting" value="default" checked={routing === "default"} onChange={() => setRouting("default")} /> The organization&rsquo;s default channels
          <span className="muted small-text"> ({defaults.length ? defaults.map((c) => c.name).join(", ") : "none set yet: this monitor sends no alerts until a channel is marked default on the Notifications page"})</span>
        </label>
        <label className="check">
          <input type="radio" name="channelRouting" value="custom" checked={routing === "custom"} onChange={() => setRouting("custom")} /> Choose channels for this monitor
        </label>
        {routing === "custom" && (
          <div className="channel-choices" aria-describedby={err("channelIds") ? "m-channelIds-err" : undefined}>
            {channels.length === 0 && <p className="muted small-text">No channels yet — add one on the Notifications page. With none chosen, this monitor sends no alerts.</p>}
            {channels.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" name="channelIds" value={c.id} defaultChecked={monitor?.channelIds?.includes(c.id) ?? false} /> {c.name} <span className="muted small-text">({c.type})</span>
              </label>
            ))}
            {fields.channelIds?.map((m) => (
              <p key={m} id="m-channelIds-err" className="field-error" role="alert">
                {m}
              </p>
            ))}
          </div>
        )}
      </fieldset>
      <div className="grid-3">
        {input("reminderIntervalMinutes", "Remind every (minutes)", { type: "number", min: 1, max: 1440, fallback: monitor?.reminderIntervalMinutes ?? "", hint: "While still DOWN; empty = no reminders" })}
        {input("reminderMax", "At most (reminders)", { type: "number", min: 1, max: 100, fallback: monitor?.reminderMax ?? 3 })}
        {input("recoveryDelaySeconds", "Recovery delay (seconds)", { type: "number", min: 0, max: 3600, fallback: monitor?.recoveryDelaySeconds ?? 0, hint: "Hold the recovery alert; a relapse within it sends neither" })}
      </div>
    </section>
  );

  const result = test.data?.result as CheckResult | undefined;
  const state = lastIntent === "test" ? test : save;
  const orphans = Object.entries(fields).filter(([k]) => !shown.has(k));
  return (
    <form
      className="form monitor-form"
      noValidate
      action={saveAction}
      onSubmit={(e) => {
        // Submitted by hand so that neither action resets what the user typed; the form
        // action above is the no-JavaScript fallback.
        e.preventDefault();
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        const intent = submitter?.dataset.intent === "test" ? "test" : "save";
        const fd = new FormData(e.currentTarget);
        setLastIntent(intent);
        startTransition(() => (intent === "test" ? testAction(fd) : saveAction(fd)));
      }}
    >
      {monitor && <input type="hidden" name="monitorId" value={monitor.id} />}
      {state.message && !state.ok && (
        <div className="form-error" role="alert">
          {state.fields ? (lastIntent === "test" ? "Fix the highlighted fields to run a test." : "Please fix the highlighted fields.") : state.message}
          {orphans.length > 0 && (
            <ul>
              {orphans.map(([k, msgs]) => (
                <li key={k}>{k === "_form" ? msgs.join("; ") : `${k}: ${msgs.join("; ")}`}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {what}
      {response}
      {schedule}
      {alerts}
      <div className="form-actions">
        <button className="btn" type="submit" data-intent="save" disabled={pending} aria-busy={pending && lastIntent === "save"}>
          {pending && lastIntent === "save" ? "Saving…" : monitor ? "Save changes" : "Create monitor"}
        </button>
        {type !== "heartbeat" && (
          <button className="btn secondary" type="submit" data-intent="test" formAction={testAction} disabled={pending} aria-busy={pending && lastIntent === "test"}>
            Test now
          </button>
        )}
        {pending && lastIntent === "test" ? (
          <span className="muted" role="status">
            Running the check…
          </span>
        ) : (
          type !== "heartbeat" && <span className="muted small-text">Test now runs the check once with these values, without saving.</span>
        )}
      </div>
      {result && <TestResult result={result} />}
    </form>
  );
}
