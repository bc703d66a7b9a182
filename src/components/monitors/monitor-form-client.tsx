"use client";
import { useActionState, useState, useTransition } from "react";
import type { CheckResult } from "@/server/checks/types";
import type { FormField, KindForm } from "@/server/monitors/kinds/kind";
import type { MonitorView } from "@/server/services/monitors/view";
import type { FormState } from "@/web/action";
import { saveMonitorAction, testMonitorAction } from "@/web/actions/monitors";
import { UpgradeLink } from "@/components/ui/field";
import { TestResult } from "./test-result";

type MonitorType = MonitorView["type"];

/** A kind's fieldset as the server passes it (./monitor-form.tsx reads the registry). */
export type KindFieldset = KindForm & { type: MonitorType };

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

export type ChannelOption = { id: string; name: string; type: string; isDefault: boolean };
type Props = { kinds: KindFieldset[]; monitor?: MonitorView; regions: string[]; channels?: ChannelOption[] };
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

/** Whether a field's `when` holds for the current values. */
function shownWith(f: FormField, valueOf: (name: string) => string | undefined): boolean {
  if (!f.when) return true;
  const v = valueOf(f.when.field) ?? "";
  return (!f.when.in || f.when.in.includes(v)) && (!f.when.notIn || !f.when.notIn.includes(v));
}

/** One form for creating and editing every monitor type; only the fields of the chosen type are rendered and sent. */
export function MonitorFormClient({ kinds, monitor, regions, channels = [] }: Props) {
  const [save, saveAction] = useActionState<FormState, FormData>(saveMonitorAction, {});
  const [test, testAction] = useActionState<FormState, FormData>(testMonitorAction, {});
  const [type, setType] = useState<MonitorType>(monitor?.type ?? kinds[0]!.type);
  const kind = kinds.find((k) => k.type === type) ?? kinds[0]!;
  const stored = (monitor ?? {}) as Record<string, unknown>;
  // Values other fields depend on (`when`), kept in state so that dependents appear and disappear.
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const valueOf = (name: string) => chosen[name] ?? str(stored[name]) ?? str(kind.fields.find((f) => f.name === name)?.default);
  const controlling = new Set(kind.fields.flatMap((f) => (f.when ? [f.when.field] : [])));
  const [headers, setHeaders] = useState<HeaderRow[]>(() => Object.entries((monitor?.headers ?? {}) as Record<string, string>).map(([n, v], i) => ({ key: i, name: n, value: v })));
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

  const headersControl = (
    <fieldset className="headers" key="headers">
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
  );

  /** One control of the kind's fieldset; the server action reads it back by name. */
  const control = (f: FormField) => {
    const fallback = stored[f.name] ?? f.default;
    const numeric = { min: f.min, max: f.max };
    switch (f.control) {
      case "headers":
        return headersControl;
      case "select":
        return (
          <div key={f.name}>
            {select(
              f.name,
              f.label,
              (f.options ?? []).map((o) => (typeof o === "string" ? o : ([o[0], o[1]] as [string, string]))),
              {
                hint: f.hint,
                fallback,
                ...(controlling.has(f.name) ? { value: valueOf(f.name), onChange: (v: string) => setChosen((c) => ({ ...c, [f.name]: v })) } : {}),
              },
            )}
          </div>
        );
      case "checkbox":
        return (
          <div key={f.name} className="field-aside">
            {checkbox(f.name, f.label, (stored[f.name] as boolean | undefined) ?? (f.default as boolean | undefined), f.hint)}
          </div>
        );
      case "textarea":
      case "list":
        return (
          <Field key={f.name} name={f.name} label={f.label} hint={f.hint} errors={err(f.name)}>
            <textarea
              {...a11y(f.name, !!f.hint)}
              rows={f.control === "list" ? 2 : 4}
              className="mono"
              placeholder={f.placeholder}
              defaultValue={typed(f.name, Array.isArray(stored[f.name]) ? (stored[f.name] as string[]).join("\n") : stored[f.name])}
            />
          </Field>
        );
      case "codes":
        return <div key={f.name}>{input(f.name, f.label, { fallback: monitor ? statusText(stored[f.name]) : f.default, hint: f.hint })}</div>;
      case "password":
        return <div key={f.name}>{input(f.name, f.label, { type: "password", autoComplete: "new-password", hint: f.secret ? (secretHint ?? f.hint) : f.hint })}</div>;
      case "number":
        return <div key={f.name}>{input(f.name, f.label, { type: "number", required: f.required, fallback, hint: f.hint, placeholder: f.placeholder, ...numeric })}</div>;
      default:
        return (
          <div key={f.name}>
            {input(f.name, f.label, { type: f.control === "url" ? "url" : "text", required: f.required, fallback, hint: f.hint, placeholder: f.placeholder, autoComplete: "off" })}
          </div>
        );
    }
  };
  const fieldsIn = (section: NonNullable<FormField["section"]>) => kind.fields.filter((f) => (f.section ?? "target") === section && shownWith(f, valueOf));
  /** A section's fields, consecutive fields of one row side by side. */
  const fieldsOf = (section: NonNullable<FormField["section"]>) => {
    const rows: FormField[][] = [];
    for (const f of fieldsIn(section)) {
      const last = rows[rows.length - 1];
      if (f.row && last?.[0]?.row === f.row) last.push(f);
      else rows.push([f]);
    }
    return rows.map((r) =>
      r.length === 1 ? (
        control(r[0]!)
      ) : (
        <div key={r[0]!.row} className={r.length === 3 ? "grid-3" : "grid-2"}>
          {r.map(control)}
        </div>
      ),
    );
  };

  const what = (
    <section className="card form-section">
      <h2 className="card-title">What to monitor</h2>
      {monitor ? (
        <p className="muted">
          <input type="hidden" name="type" value={type} />
          Type: <strong>{kind.title}</strong> <span className="small-text">(a monitor&rsquo;s type cannot change; create a new one instead)</span>
        </p>
      ) : (
        <fieldset className="type-picker" aria-describedby={err("type") ? "m-type-err" : undefined}>
          <legend>Monitor type</legend>
          <div className="type-options">
            {kinds.map((k) => (
              <label key={k.type} className="type-option">
                <input type="radio" name="type" value={k.type} checked={type === k.type} onChange={() => setType(k.type)} />
                <span className="type-title">{k.title}</span>
                <span className="type-desc">{k.description}</span>
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
      {input("name", "Name", { required: true, maxLength: 120, fallback: monitor?.name, placeholder: kind.namePlaceholder, autoComplete: "off" })}
      {fieldsOf("target")}
      {kind.note && <p className="muted">{kind.note}</p>}
    </section>
  );

  const checks = fieldsIn("checks").length > 0 && (
    <section className="card form-section">
      <h2 className="card-title">Checks on the response</h2>
      {fieldsOf("checks")}
    </section>
  );

  const advancedFields = fieldsIn("advanced");
  const advancedErrors = advancedFields.some((f) => fields[f.name]);
  const advancedSet = advancedFields.some((f) => (f.control === "headers" ? headers.length > 0 : f.control === "select" ? valueOf(f.name) !== str(f.default) : false));
  const advanced = advancedFields.length > 0 && (
    <section className="card form-section">
      <details className="advanced" open={advancedSet || advancedErrors}>
        <summary>{kind.type === "http" ? "Request headers and authentication" : "More options"}</summary>
        <div className="advanced-body">{fieldsOf("advanced")}</div>
      </details>
    </section>
  );

  const schedule = (
    <section className="card form-section">
      <h2 className="card-title">Schedule and alerting</h2>
      <div className="grid-3">
        {select("intervalSeconds", kind.testable ? "Interval" : "Expected every", INTERVALS, { fallback: monitor?.intervalSeconds ?? 60 })}
        {kind.testable && input("timeoutMs", "Timeout (ms)", { type: "number", min: 500, max: 60000, step: 100, fallback: monitor?.timeoutMs ?? 10000 })}
        {fieldsIn("schedule").map(control)}
      </div>
      {kind.testable && (
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
          <span className="muted small-text">
            {" "}
            ({defaults.length ? defaults.map((c) => c.name).join(", ") : "none set yet: this monitor sends no alerts until a channel is marked default on the Notifications page"})
          </span>
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
        {input("reminderIntervalMinutes", "Remind every (minutes)", {
          type: "number",
          min: 1,
          max: 1440,
          fallback: monitor?.reminderIntervalMinutes ?? "",
          hint: "While still DOWN; empty = no reminders",
        })}
        {input("reminderMax", "At most (reminders)", { type: "number", min: 1, max: 100, fallback: monitor?.reminderMax ?? 3 })}
        {input("recoveryDelaySeconds", "Recovery delay (seconds)", {
          type: "number",
          min: 0,
          max: 3600,
          fallback: monitor?.recoveryDelaySeconds ?? 0,
          hint: "Hold the recovery alert; a relapse within it sends neither",
        })}
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
          <UpgradeLink href={state.upgradeUrl} />
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
      {checks}
      {advanced}
      {schedule}
      {alerts}
      <div className="form-actions">
        <button className="btn" type="submit" data-intent="save" disabled={pending} aria-busy={pending && lastIntent === "save"}>
          {pending && lastIntent === "save" ? "Saving…" : monitor ? "Save changes" : "Create monitor"}
        </button>
        {kind.testable && (
          <button className="btn secondary" type="submit" data-intent="test" formAction={testAction} disabled={pending} aria-busy={pending && lastIntent === "test"}>
            Test now
          </button>
        )}
        {pending && lastIntent === "test" ? (
          <span className="muted" role="status">
            Running the check…
          </span>
        ) : (
          kind.testable && <span className="muted small-text">Test now runs the check once with these values, without saving.</span>
        )}
      </div>
      {result && <TestResult result={result} />}
    </form>
  );
}
