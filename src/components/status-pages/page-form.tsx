"use client";
import { useActionState, useState } from "react";
import { createStatusPageAction, updateStatusPageSettingsAction } from "@/web/actions/status-pages";
import { Field, FormMessage, SelectField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

type Settings = {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  logoUrl: string | null;
  brandColor: string;
  timeZone: string;
  language: string;
  access: string;
  hasPassword: boolean;
  autoPublishIncidents: boolean;
  published: boolean;
};

const LANGUAGES = [
  ["en", "English"],
  ["de", "Deutsch"],
] as const;
const ACCESS = [
  ["public", "Public: anyone with the link"],
  ["password", "Password: visitors enter a password"],
  ["members", "Members only: signed-in members of this organization"],
] as const;

/** The new-page form (with a first choice of monitors), or the editor's settings form when `page` is given. */
export function StatusPageForm({ page, monitors }: { page?: Settings; monitors?: { id: string; name: string }[] }) {
  const [state, action] = useActionState<FormState, FormData>(page ? updateStatusPageSettingsAction : createStatusPageAction, {});
  const v = (k: keyof Settings) => state.values?.[k] ?? (page ? String(page[k] ?? "") : undefined);
  const [access, setAccess] = useState(v("access") ?? "public");
  // Each tick becomes the box's default, so React's form reset after a refused submission keeps it.
  const [picked, setPicked] = useState<string[]>([]);
  const f = (k: string) => state.fields?.[k];
  const browserTz = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return (
    <form action={action} className="form status-page-form" noValidate data-testid={page ? "page-settings-form" : "new-page-form"}>
      {page && <input type="hidden" name="pageId" value={page.id} />}
      <FormMessage message={state.message} ok={state.ok} upgradeUrl={state.upgradeUrl} />
      <div className="grid-2">
        <Field label="Name" name="name" required defaultValue={v("name")} errors={f("name")} placeholder="Acme status" />
        <Field label="Slug" name="slug" required defaultValue={v("slug")} errors={f("slug")} placeholder="acme" hint="The public address: /status/{slug}" autoCapitalize="none" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="sp-description">Description</label>
        <textarea id="sp-description" name="description" rows={2} defaultValue={v("description")} aria-invalid={f("description") ? true : undefined} />
        {f("description")?.map((e) => (
          <p key={e} className="field-error" role="alert">
            {e}
          </p>
        ))}
      </div>
      <div className="grid-2">
        <Field
          label="Logo URL"
          name="logoUrl"
          type="url"
          defaultValue={v("logoUrl")}
          errors={f("logoUrl")}
          placeholder="https://example.com/logo.svg"
          hint="An https:// image, shown in the page header"
        />
        <div className="field">
          <label htmlFor="f-brandColor">Brand colour</label>
          <div className="color-row">
            <input id="f-brandColor" name="brandColor" type="color" defaultValue={v("brandColor") ?? "#2563eb"} aria-invalid={f("brandColor") ? true : undefined} />
          </div>
          {f("brandColor")?.map((e) => (
            <p key={e} className="field-error" role="alert">
              {e}
            </p>
          ))}
        </div>
      </div>
      <div className="grid-2">
        <Field label="Time zone" name="timeZone" defaultValue={v("timeZone") ?? browserTz} errors={f("timeZone")} hint="IANA name, e.g. Europe/Berlin: times on the page are shown in it" />
        <SelectField label="Language" name="language" options={LANGUAGES} defaultValue={v("language") ?? "en"} errors={f("language")} />
      </div>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="f-access">Who can see it</label>
          <select id="f-access" name="access" value={access} onChange={(e) => setAccess(e.target.value)}>
            {ACCESS.map(([val, label]) => (
              <option key={val} value={val}>
                {label}
              </option>
            ))}
          </select>
          {f("access")?.map((e) => (
            <p key={e} className="field-error" role="alert">
              {e}
            </p>
          ))}
        </div>
        {/* Rendered always, so the choice works without scripts; only needed for password pages. */}
        <Field
          label="Page password"
          name="password"
          type="password"
          autoComplete="new-password"
          errors={f("password")}
          hint={access === "password" ? (page?.hasPassword ? "Leave empty to keep the current password" : "At least 8 characters") : "Used only when access is Password"}
        />
      </div>
      <div className="check-field">
        <label className="check">
          <input type="checkbox" name="autoPublishIncidents" defaultChecked={state.values ? state.values.autoPublishIncidents === "on" : (page?.autoPublishIncidents ?? false)} /> Publish incidents
          automatically
        </label>
        <span className="hint">When a component&apos;s monitor goes DOWN, its prepared incident is published at once instead of waiting as a draft.</span>
      </div>
      {page && (
        <div className="check-field">
          <input type="hidden" name="published__present" value="1" />
          <label className="check">
            <input type="checkbox" name="published" defaultChecked={state.values ? state.values.published === "on" : page.published} /> Published
          </label>
          <span className="hint">An unpublished page answers 404 to the public.</span>
        </div>
      )}
      {!page && monitors && monitors.length > 0 && (
        <fieldset className="field">
          <legend>Components (you can change them later)</legend>
          <div className="check-list">
            {monitors.map((m) => (
              <label key={m.id} className="check">
                <input
                  type="checkbox"
                  name="monitorIds"
                  value={m.id}
                  defaultChecked={picked.includes(m.id)}
                  onChange={(e) => setPicked((p) => (e.target.checked ? [...p, m.id] : p.filter((x) => x !== m.id)))}
                />{" "}
                {m.name}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div>
        <SubmitButton pendingText="Saving…">{page ? "Save settings" : "Create status page"}</SubmitButton>
      </div>
    </form>
  );
}
