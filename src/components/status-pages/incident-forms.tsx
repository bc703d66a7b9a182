"use client";
import { useActionState } from "react";
import { createStatusIncidentAction, postStatusIncidentUpdateAction, publishStatusIncidentAction } from "@/web/actions/status-pages";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { COMPONENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUSES, type ComponentStatus, type IncidentStatus } from "@/server/status/model";
import type { FormState } from "@/web/action";
import { COMPONENT_STATUS_LABEL, IMPACT_LABEL, INCIDENT_STATUS_LABEL } from "./labels";

type PageComponent = { id: string; name: string };
type Affected = { componentId: string; status: ComponentStatus | null };

/** One select per component of the page: not affected, affected (follows its monitor), or a shown status. */
function AffectedComponents({ components, affected, idPrefix }: { components: PageComponent[]; affected: Affected[]; idPrefix: string }) {
  if (components.length === 0) return null;
  const current = new Map(affected.map((a) => [a.componentId, a.status ?? "auto"]));
  return (
    <fieldset className="field affected">
      <legend>Affected components and what they show</legend>
      {components.map((c) => (
        <div key={c.id} className="affected-row">
          <label htmlFor={`${idPrefix}-${c.id}`}>{c.name}</label>
          <select id={`${idPrefix}-${c.id}`} name={`comp_${c.id}`} defaultValue={current.get(c.id) ?? ""}>
            <option value="">Not affected</option>
            <option value="auto">Affected, follows its monitor</option>
            {COMPONENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {COMPONENT_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
      ))}
    </fieldset>
  );
}

function BodyField({ id, errors, defaultValue, label }: { id: string; errors?: string[]; defaultValue?: string; label: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name="body"
        rows={5}
        className="markdown-input"
        defaultValue={defaultValue}
        aria-invalid={errors ? true : undefined}
        aria-describedby={`${id}-hint${errors ? ` ${id}-err` : ""}`}
      />
      <span id={`${id}-hint`} className="hint">
        Markdown: **bold**, _italic_, [links](https://example.com), lists. Shown publicly once published.
      </span>
      {errors?.map((e) => (
        <p key={e} id={`${id}-err`} className="field-error" role="alert">
          {e}
        </p>
      ))}
    </div>
  );
}

export function NewStatusIncidentForm({ pageId, components }: { pageId: string; components: PageComponent[] }) {
  const [state, action] = useActionState<FormState, FormData>(createStatusIncidentAction, {});
  const f = (k: string) => state.fields?.[k];
  const keep = !state.ok ? state.values : undefined;
  return (
    <form action={action} className="form" noValidate data-testid="new-incident-form" key={state.ok ? String(state.data?.at) : "draft"}>
      <input type="hidden" name="pageId" value={pageId} />
      <FormMessage message={state.message} ok={state.ok} />
      <Field label="Title" name="title" id="ni-title" defaultValue={keep?.title} errors={f("title")} placeholder="Elevated error rates on the API" />
      <div className="grid-2">
        <div className="field">
          <label htmlFor="ni-impact">Impact</label>
          <select id="ni-impact" name="impact" defaultValue={keep?.impact ?? "minor"}>
            {INCIDENT_IMPACTS.map((s) => (
              <option key={s} value={s}>
                {IMPACT_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ni-status">Status</label>
          <select id="ni-status" name="status" defaultValue={keep?.status ?? "investigating"}>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {INCIDENT_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <BodyField id="ni-body" label="Message" errors={f("body")} defaultValue={keep?.body} />
      <AffectedComponents components={components} affected={[]} idPrefix="ni" />
      <div className="form-actions">
        <button className="btn" name="publish" value="1">
          Publish incident
        </button>
        <button className="btn secondary" name="publish" value="0">
          Save as draft
        </button>
      </div>
    </form>
  );
}

export function PublishButton({ pageId, incidentId }: { pageId: string; incidentId: string }) {
  const [state, action] = useActionState<FormState, FormData>(publishStatusIncidentAction, {});
  return (
    <form action={action} className="ack-form">
      <input type="hidden" name="pageId" value={pageId} />
      <input type="hidden" name="incidentId" value={incidentId} />
      {!state.ok && <FormMessage message={state.message} />}
      <SubmitButton pendingText="Publishing…">Publish</SubmitButton>
    </form>
  );
}

const NEXT: Record<IncidentStatus, IncidentStatus> = { investigating: "identified", identified: "monitoring", monitoring: "resolved", resolved: "resolved" };

/** The phone-friendly update form: status, Markdown message, and the affected components' shown status. */
export function PostUpdateForm({
  pageId,
  incidentId,
  status,
  components,
  affected,
}: {
  pageId: string;
  incidentId: string;
  status: IncidentStatus;
  components: PageComponent[];
  affected: Affected[];
}) {
  const [state, action] = useActionState<FormState, FormData>(postStatusIncidentUpdateAction, {});
  const f = (k: string) => state.fields?.[k];
  const keep = !state.ok ? state.values : undefined;
  const id = `up-${incidentId.slice(0, 8)}`;
  return (
    <form action={action} className="form update-form" noValidate data-testid="post-update-form" key={state.ok ? String(state.data?.at) : "draft"}>
      <input type="hidden" name="pageId" value={pageId} />
      <input type="hidden" name="incidentId" value={incidentId} />
      <FormMessage message={state.message} ok={state.ok} />
      <div className="field">
        <label htmlFor={`${id}-status`}>New status</label>
        <select id={`${id}-status`} name="status" defaultValue={keep?.status ?? NEXT[status]} aria-invalid={f("status") ? true : undefined}>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {INCIDENT_STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        {f("status")?.map((e) => (
          <p key={e} className="field-error" role="alert">
            {e}
          </p>
        ))}
      </div>
      <BodyField id={`${id}-body`} label="Update" errors={f("body")} defaultValue={keep?.body} />
      <AffectedComponents components={components} affected={affected} idPrefix={id} />
      <div>
        <SubmitButton pendingText="Posting…">Post update</SubmitButton>
      </div>
    </form>
  );
}
