import type { InputHTMLAttributes } from "react";

type Props = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  hint?: string;
  errors?: string[];
};

/** Labelled input with its hint and field errors wired up for screen readers. */
export function Field({ label, name, hint, errors, id, ...rest }: Props) {
  const inputId = id ?? `f-${name}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errId = errors?.length ? `${inputId}-err` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={[hintId, errId].filter(Boolean).join(" ") || undefined} {...rest} />
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

export function FormMessage({ message, ok }: { message?: string; ok?: boolean }) {
  if (!message) return null;
  return (
    <p className={ok ? "form-ok" : "form-error"} role={ok ? "status" : "alert"}>
      {message}
    </p>
  );
}
