"use client";
import { useActionState, useState } from "react";
import { CopyButton } from "@/components/monitors/copy-button";
import { Field, FormMessage, SelectField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ChannelView } from "@/server/notifications/channel-schema";
import type { ChannelFormSpec } from "@/server/notifications/providers";
import type { FormState } from "@/web/action";
import { deleteChannelAction, saveChannelAction, testChannelAction } from "@/web/actions/notifications";

/** `forms` comes from the provider registry (server side): each type's label and fields. */
export function ChannelForm({ forms, channel }: { forms: readonly ChannelFormSpec[]; channel?: ChannelView }) {
  const [state, action] = useActionState<FormState, FormData>(saveChannelAction, {});
  const [type, setType] = useState<string>(channel?.type ?? "webhook");
  const fields = state.fields ?? {};
  const errs = (k: string) => [
    ...(fields[k] ?? []),
    ...Object.entries(fields)
      .filter(([f]) => f.startsWith(`${k}.`))
      .flatMap(([, v]) => v),
  ];
  const idp = channel ? `c-${channel.id.slice(0, 8)}` : "c-new";
  const created = state.data as { signingSecret?: string; channelName?: string } | undefined;
  const value = (k: string): string | undefined => {
    if (state.values && !state.ok) return state.values[k];
    const v = channel ? (channel as Record<string, unknown>)[k] : undefined;
    if (v === "••••••") return undefined;
    return Array.isArray(v) ? v.join(", ") : v === undefined || v === null ? undefined : String(v);
  };
  return (
    <form action={action} className="form" noValidate data-testid={channel ? "channel-edit-form" : "channel-form"}>
      {channel && <input type="hidden" name="channelId" value={channel.id} />}
      <FormMessage message={state.fields ? "Please fix the highlighted fields." : state.message} ok={state.ok} />
      {created?.signingSecret && (
        <div className="notice" data-testid="signing-secret">
          <p style={{ marginTop: 0 }}>
            <strong>Signing secret for &ldquo;{created.channelName}&rdquo;</strong> — copy it now: you won&rsquo;t see it again. Your receiver uses it to verify the <code>webhook-signature</code>{" "}
            header.
          </p>
          <div className="row">
            <code className="mono" data-testid="signing-secret-value" style={{ wordBreak: "break-all" }}>
              {created.signingSecret}
            </code>
            <CopyButton text={created.signingSecret} label="Copy secret" />
          </div>
        </div>
      )}
      <div className="grid-3">
        <div className="field">
          <label htmlFor={`${idp}-type`}>Type</label>
          {channel ? (
            <>
              <input type="hidden" name="type" value={type} />
              <input id={`${idp}-type`} value={forms.find((f) => f.type === type)?.label ?? type} disabled />
            </>
          ) : (
            <select id={`${idp}-type`} name="type" value={type} onChange={(e) => setType(e.target.value)}>
              {forms.map((f) => (
                <option key={f.type} value={f.type}>
                  {f.label}
                </option>
              ))}
            </select>
          )}
        </div>
        <Field id={`${idp}-name`} name="name" label="Name" defaultValue={value("name")} errors={errs("name")} placeholder="On-call" />
      </div>
      {(forms.find((f) => f.type === type)?.fields ?? []).map((f) =>
        f.input === "select" ? (
          <SelectField key={`${type}-${f.name}`} id={`${idp}-${f.name}`} name={f.name} label={f.label} hint={f.hint} options={f.options ?? []} defaultValue={value(f.name)} errors={errs(f.name)} />
        ) : (
          <Field
            key={`${type}-${f.name}`}
            id={`${idp}-${f.name}`}
            name={f.name}
            label={f.label}
            type={f.secret ? "password" : (f.input ?? "text")}
            autoComplete="off"
            placeholder={f.placeholder}
            hint={f.secret && channel ? "Stored and hidden; leave empty to keep it" : f.hint}
            defaultValue={f.secret ? undefined : value(f.name)}
            errors={errs(f.name)}
          />
        ),
      )}
      <label className="check">
        <input type="checkbox" name="isDefault" defaultChecked={state.values && !state.ok ? state.values.isDefault === "on" : (channel?.isDefault ?? false)} /> Default channel — alerts for every
        monitor that doesn&rsquo;t choose its own
      </label>
      <div className="form-actions">
        <SubmitButton pendingText="Saving…">{channel ? "Save channel" : "Add channel"}</SubmitButton>
      </div>
    </form>
  );
}

export function TestChannelButton({ channelId, name }: { channelId: string; name: string }) {
  const [state, action] = useActionState<FormState, FormData>(testChannelAction, {});
  return (
    <form action={action} className="test-channel">
      <input type="hidden" name="channelId" value={channelId} />
      <SubmitButton className="btn secondary small" pendingText="Sending…">
        Send test notification
      </SubmitButton>
      {state.message && (
        <p className={state.ok ? "form-ok" : "form-error"} role={state.ok ? "status" : "alert"} aria-label={`Test result for ${name}`} data-testid="test-result">
          {state.message}
        </p>
      )}
    </form>
  );
}

export function DeleteChannelButton({ channelId, name }: { channelId: string; name: string }) {
  const [state, action] = useActionState<FormState, FormData>(deleteChannelAction, {});
  return (
    <form action={action} onSubmit={(e) => !confirm(`Delete the channel "${name}"? Monitors that chose it stop alerting there.`) && e.preventDefault()}>
      <input type="hidden" name="channelId" value={channelId} />
      <SubmitButton className="btn secondary small danger-text" pendingText="…">
        Delete
      </SubmitButton>
      {state.message && !state.ok && <span className="field-error">{state.message}</span>}
    </form>
  );
}
