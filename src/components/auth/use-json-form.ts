"use client";
import { useState } from "react";

export type ApiError = { code: string; message: string; details?: Record<string, string[]>; requestId?: string };

/** Posts a form as JSON to one of our auth endpoints and keeps its error state. */
export function useJsonForm<T = unknown>(url: string) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(values: Record<string, unknown>): Promise<T | null> {
    setPending(true);
    setError(null);
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(values) });
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        setError(json?.error ?? { code: "network", message: `The server answered ${res.status}. Please try again.` });
        return null;
      }
      return json as T;
    } catch {
      setError({ code: "network", message: "Could not reach Perigee. Check your connection and try again." });
      return null;
    } finally {
      setPending(false);
    }
  }

  return { pending, error, submit, fieldErrors: (name: string) => error?.details?.[name] };
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    if (typeof v === "string") out[k] = v;
  });
  return out;
}
