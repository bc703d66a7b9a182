"use client";
import { useActionState } from "react";
import { createStatusMaintenanceAction } from "@/web/actions/status-pages";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

/** Schedules a maintenance shown on the page; its times are read in the page's time zone. */
export function StatusMaintenanceForm({ pageId, timeZone, components }: { pageId: string; timeZone: string; components: { id: string; name: string }[] }) {
  const [state, action] = useActionState<FormState, FormData>(createStatusMaintenanceAction, {});
  const f = (k: string) => state.fields?.[k];
  const keep = !state.ok ? state.values : undefined;
  return (
    <form action={action} className="form" noValidate data-testid="maintenance-form" key={state.ok ? String(state.data?.at) : "draft"}>
      <input type="hidden" name="pageId" value={pageId} />
      <input type="hidden" name="timeZone" value={timeZone} />
      <FormMessage message={state.message} ok={state.ok} />
      <Field label="Title" name="title" id="sm-title" defaultValue={keep?.title} errors={f("title")} placeholder="Database upgrade" />
      <div className="field">
        <label htmlFor="sm-message">Message</label>
        <textarea id="sm-message" name="message" rows={3} defaultValue={keep?.message} aria-invalid={f("message") ? true : undefined} />
        <span className="hint">Markdown; shown on the page ahead of time and during the window.</span>
        {f("message")?.map((e) => (
          <p key={e} className="field-error" role="alert">
            {e}
          </p>
        ))}
      </div>
      <div className="grid-2">
        <Field label={`Starts (${timeZone})`} name="startsAt" id="sm-starts" type="datetime-local" defaultValue={keep?.startsAt} errors={f("startsAt")} />
        <Field label={`Ends (${timeZone})`} name="endsAt" id="sm-ends" type="datetime-local" defaultValue={keep?.endsAt} errors={f("endsAt")} />
      </div>
      {components.length > 0 && (
        <fieldset className="field">
          <legend>Components (none ticked means all)</legend>
          <div className="check-list">
            {components.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" name="componentIds" value={c.id} /> {c.name}
              </label>
            ))}
          </div>
          {f("componentIds")?.map((e) => (
            <p key={e} className="field-error" role="alert">
              {e}
            </p>
          ))}
        </fieldset>
      )}
      <div>
        <SubmitButton pendingText="Scheduling…">Schedule maintenance</SubmitButton>
      </div>
    </form>
  );
}
