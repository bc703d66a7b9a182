"use client";
import { useActionState } from "react";
import { saveComponentsAction } from "@/web/actions/status-pages";
import { FormMessage } from "@/components/ui/field";
import type { FormState } from "@/web/action";

type Component = { id: string; monitorId: string; name: string; sectionName: string | null; showResponseTime: boolean };

/**
 * The page's components in order: public name, section, response-time chart, and buttons to
 * move a row up or down or remove it. Every button submits the whole list as typed (no drag
 * and drop, works without scripts); the last row's section is offered to a new component.
 */
export function ComponentsEditor({ pageId, components, monitors }: { pageId: string; components: Component[]; monitors: { id: string; name: string }[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveComponentsAction, {});
  const monitorName = new Map(monitors.map((m) => [m.id, m.name]));
  const used = new Set(components.map((c) => c.monitorId));
  const available = monitors.filter((m) => !used.has(m.id));
  const err = (monitorId: string, k: string) => state.fields?.[`${monitorId}.${k}`];
  return (
    <form action={action} className="form" noValidate data-testid="components-form" aria-busy={pending}>
      <input type="hidden" name="pageId" value={pageId} />
      <input type="hidden" name="count" value={components.length} />
      {/* First in the form, so Enter in a text field saves rather than moving a row. */}
      <button className="sr-only" name="op" value="save" tabIndex={-1} aria-hidden>
        Save
      </button>
      <FormMessage message={state.message} ok={state.ok} />
      {components.length === 0 ? (
        <p className="muted">No components yet: add a monitor below. Visitors see each component&apos;s state and 90 days of uptime.</p>
      ) : (
        <ol className="component-list">
          {components.map((c, i) => (
            <li key={c.id} className="component-row" data-testid="component-row">
              <input type="hidden" name={`c${i}_monitorId`} value={c.monitorId} />
              <div className="component-fields">
                <div className="field">
                  <label htmlFor={`c${i}_name`}>Public name</label>
                  <input id={`c${i}_name`} name={`c${i}_name`} defaultValue={c.name} aria-invalid={err(c.monitorId, "name") ? true : undefined} />
                  <span className="hint">Monitor: {monitorName.get(c.monitorId) ?? "—"}</span>
                  {err(c.monitorId, "name")?.map((e) => (
                    <p key={e} className="field-error" role="alert">
                      {e}
                    </p>
                  ))}
                </div>
                <div className="field">
                  <label htmlFor={`c${i}_section`}>Section</label>
                  <input id={`c${i}_section`} name={`c${i}_section`} defaultValue={c.sectionName ?? ""} placeholder="None" aria-invalid={err(c.monitorId, "sectionName") ? true : undefined} />
                  {err(c.monitorId, "sectionName")?.map((e) => (
                    <p key={e} className="field-error" role="alert">
                      {e}
                    </p>
                  ))}
                </div>
                <label className="check">
                  <input type="checkbox" name={`c${i}_rt`} defaultChecked={c.showResponseTime} /> Show response time
                </label>
              </div>
              <div className="component-actions">
                <button className="btn secondary small" name="op" value={`up:${i}`} disabled={i === 0} aria-label={`Move ${c.name} up`}>
                  ↑
                </button>
                <button className="btn secondary small" name="op" value={`down:${i}`} disabled={i === components.length - 1} aria-label={`Move ${c.name} down`}>
                  ↓
                </button>
                <button className="btn secondary small danger-text" name="op" value={`remove:${i}`} aria-label={`Remove ${c.name}`}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
      <div className="form-actions">
        {components.length > 0 && (
          <button className="btn" name="op" value="save">
            Save components
          </button>
        )}
      </div>
      {available.length > 0 && (
        <div className="add-component">
          <div className="field">
            <label htmlFor="addMonitorId">Add a monitor</label>
            <select id="addMonitorId" name="addMonitorId" defaultValue="" aria-invalid={state.fields?.addMonitorId ? true : undefined}>
              <option value="">Choose a monitor…</option>
              {available.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
            {state.fields?.addMonitorId?.map((e) => (
              <p key={e} className="field-error" role="alert">
                {e}
              </p>
            ))}
          </div>
          <button className="btn secondary" name="op" value="add">
            Add component
          </button>
        </div>
      )}
    </form>
  );
}
