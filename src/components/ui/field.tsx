import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

type Common = { label: string; name: string; hint?: string; errors?: string[]; id?: string };

/** The label, hint and field errors around one control, wired up for screen readers. */
function FieldShell({
  inputId,
  label,
  hint,
  errors,
  children,
}: {
  inputId: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: (aria: { "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errId = errors?.length ? `${inputId}-err` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {children({ "aria-invalid": errors?.length ? true : undefined, "aria-describedby": [hintId, errId].filter(Boolean).join(" ") || undefined })}
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {errors?.map((e) => (
        <p key={e} id={errId} className="field-error" role="alert">
          {e}
        </p>
      ))}
    </div>
  );
}

/** Labelled input with its hint and field errors. */
export function Field({ label, name, hint, errors, id, ...rest }: InputHTMLAttributes<HTMLInputElement> & Common) {
  const inputId = id ?? `f-${name}`;
  return (
    <FieldShell inputId={inputId} label={label} hint={hint} errors={errors}>
      {(aria) => <input id={inputId} name={name} {...aria} {...rest} />}
    </FieldShell>
  );
}

/** Labelled select of [value, label] options with its hint and field errors. */
export function SelectField({ label, name, hint, errors, id, options, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & Common & { options: readonly (readonly [string, string])[] }) {
  const inputId = id ?? `f-${name}`;
  return (
    <FieldShell inputId={inputId} label={label} hint={hint} errors={errors}>
      {(aria) => (
        <select id={inputId} name={name} {...aria} {...rest}>
          {options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** A form's message; `upgradeUrl` (FormState's, set when a plan limit refused the action) adds the way up. */
export function FormMessage({ message, ok, upgradeUrl }: { message?: string; ok?: boolean; upgradeUrl?: string }) {
  if (!message) return null;
  return (
    <p className={ok ? "form-ok" : "form-error"} role={ok ? "status" : "alert"}>
      {message}
      <UpgradeLink href={upgradeUrl} />
    </p>
  );
}

/** The "Upgrade" link after a plan-limit message, for forms that render their message themselves. */
export function UpgradeLink({ href }: { href?: string }) {
  if (!href) return null;
  return (
    <>
      {" "}
      <a href={href} data-testid="upgrade-link">
        Upgrade
      </a>
    </>
  );
}
