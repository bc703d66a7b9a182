"use client";
import { useActionState, useState } from "react";
import { createMaintenanceAction } from "@/web/actions/maintenance";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

const DAYS = [
  [1, "Mon"],
  [2, "Tue"],
  [3, "Wed"],
  [4, "Thu"],
  [5, "Fri"],
  [6, "Sat"],
  [7, "Sun"],
] as const;

export function MaintenanceForm({ monitors }: { monitors: { id: string; name: string }[] }) {
  const [state, action] = useActionState<FormState, FormData>(createMaintenanceAction, {});
  const [kind, setKind] = useState("one_off");
  const f = (k: string) => state.fields?.[k];
  const browserTz = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return (
    <form action={action} className="form" noValidate>
      <FormMessage message={state.message} ok={state.ok} />
      <Field label="Name" name="name" required defaultValue={state.values?.name} errors={f("name")} placeholder="Database upgrade" />
      <div className="field">
        <label htmlFor="mw-kind">Repeats</label>
        <select id="mw-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="one_off">Once</option>
          <option value="weekly">Every week</option>
        </select>
      </div>
      <Field label="Time zone" name="timeZone" defaultValue={state.values?.timeZone ?? browserTz} errors={f("timeZone")} hint="IANA name, e.g. Europe/Berlin" />
      {kind === "one_off" ? (
        <div className="row">
          <Field label="Starts" name="startsAt" type="datetime-local" errors={f("startsAt")} />
          <Field label="Ends" name="endsAt" type="datetime-local" errors={f("endsAt")} />
        </div>
      ) : (
        <>
          <fieldset className="field" aria-describedby={f("weekdays") ? "mw-days-err" : undefined}>
            <legend>Days</legend>
            <div className="row">
              {DAYS.map(([n, label]) => (
                <label key={n} className="row" style={{ gap: "0.25rem" }}>
                  <input type="checkbox" name="weekdays" value={n} /> {label}
                </label>
              ))}
            </div>
            {f("weekdays")?.map((e) => (
              <p key={e} id="mw-days-err" className="field-error" role="alert">
                {e}
              </p>
            ))}
          </fieldset>
          <div className="row">
            <Field label="Start time" name="startTime" type="time" errors={f("startTime")} />
            <Field label="Duration (minutes)" name="durationMinutes" type="number" min={1} errors={f("durationMinutes")} />
          </div>
        </>
      )}
      {monitors.length > 0 && (
        <fieldset className="field">
          <legend>Monitors (none ticked means all)</legend>
          <div className="row">
            {monitors.map((m) => (
              <label key={m.id} className="row" style={{ gap: "0.25rem" }}>
                <input type="checkbox" name="monitorIds" value={m.id} /> {m.name}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div>
        <SubmitButton pendingText="Saving…">Save window</SubmitButton>
      </div>
    </form>
  );
}
