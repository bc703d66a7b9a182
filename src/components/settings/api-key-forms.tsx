"use client";
import { useActionState } from "react";
import { createApiKeyAction, revokeApiKeyAction } from "@/web/actions/api-keys";
import { CopyButton } from "@/components/monitors/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

export function CreateApiKeyForm({ scopes }: { scopes: { name: string; description: string }[] }) {
  const [state, action] = useActionState<FormState, FormData>(createApiKeyAction, {});
  const created = state.ok ? (state.data as { key: string } | undefined) : undefined;
  return (
    <form action={action} className="form" data-testid="api-key-form" noValidate>
      <FormMessage message={state.message} ok={state.ok} />
      {created && (
        <div className="notice" data-testid="new-api-key">
          <p style={{ marginTop: 0 }}>
            <strong>Your new API key</strong> — shown only this once. Store it in your secret manager.
          </p>
          <div className="row">
            <code className="mono" style={{ wordBreak: "break-all" }} data-testid="api-key-value">
              {created.key}
            </code>
            <CopyButton text={created.key} label="Copy key" />
          </div>
        </div>
      )}
      <Field label="Name" name="name" placeholder="CI deploy script" defaultValue={state.ok ? "" : state.values?.name} errors={state.fields?.name} />
      <fieldset className="field" aria-describedby={state.fields?.scopes ? "scopes-err" : undefined}>
        <legend>Scopes</legend>
        {scopes.map((s) => (
          <label key={s.name} className="row" style={{ gap: "0.5rem" }}>
            <input type="checkbox" name="scopes" value={s.name} defaultChecked={s.name === "monitors:read"} />
            <span className="mono">{s.name}</span>
            <span className="muted">— {s.description}</span>
          </label>
        ))}
        {(
          state.fields?.scopes ??
          Object.entries(state.fields ?? {})
            .filter(([k]) => k.startsWith("scopes."))
            .flatMap(([, v]) => v)
        ).map((e) => (
          <p key={e} id="scopes-err" className="field-error" role="alert">
            {e}
          </p>
        ))}
      </fieldset>
      <Field
        label="Expires (optional)"
        name="expiresAt"
        type="date"
        hint="Leave empty for a key that does not expire."
        defaultValue={state.ok ? "" : state.values?.expiresAt}
        errors={state.fields?.expiresAt}
      />
      <SubmitButton pendingText="Creating…">Create API key</SubmitButton>
    </form>
  );
}

export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const [state, action] = useActionState<FormState, FormData>(revokeApiKeyAction, {});
  return (
    <form action={action} onSubmit={(e) => !confirm(`Revoke "${name}"? Scripts using it stop working at once.`) && e.preventDefault()}>
      <input type="hidden" name="id" value={id} />
      <SubmitButton className="btn secondary small danger-text" pendingText="…">
        Revoke
      </SubmitButton>
      {state.message && !state.ok && <span className="field-error">{state.message}</span>}
    </form>
  );
}
