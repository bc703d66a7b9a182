"use client";
import { useActionState } from "react";
import { acknowledgeIncidentAction, addIncidentNoteAction } from "@/web/actions/incidents";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

/** "I am on it" for one open monitor incident. */
export function AcknowledgeForm({ incidentId, small }: { incidentId: string; small?: boolean }) {
  const [state, action] = useActionState<FormState, FormData>(acknowledgeIncidentAction, {});
  return (
    <form action={action} className="ack-form">
      <input type="hidden" name="incidentId" value={incidentId} />
      {!state.ok && <FormMessage message={state.message} />}
      <SubmitButton className={small ? "btn small" : "btn"} pendingText="Acknowledging…">
        Acknowledge
      </SubmitButton>
    </form>
  );
}

/** An internal note; the textarea is cleared after a successful post (it remounts with a new key). */
export function NoteForm({ incidentId }: { incidentId: string }) {
  const [state, action] = useActionState<FormState, FormData>(addIncidentNoteAction, {});
  const err = state.fields?.body;
  return (
    <form action={action} className="form" noValidate>
      <input type="hidden" name="incidentId" value={incidentId} />
      <FormMessage message={state.message} ok={state.ok} />
      <div className="field">
        <label htmlFor="note-body">Internal note</label>
        <textarea
          id="note-body"
          name="body"
          rows={4}
          key={state.ok ? String(state.data?.at) : "draft"}
          defaultValue={state.ok ? "" : state.values?.body}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? "note-body-err" : "note-body-hint"}
        />
        <span id="note-body-hint" className="hint">
          Only members of this organization see notes; they never appear on a status page.
        </span>
        {err?.map((e) => (
          <p key={e} id="note-body-err" className="field-error" role="alert">
            {e}
          </p>
        ))}
      </div>
      <div>
        <SubmitButton pendingText="Adding…">Add note</SubmitButton>
      </div>
    </form>
  );
}
