"use client";
import { useActionState, useCallback, useEffect, useRef, useState } from "react";
import { bulkAction } from "@/web/actions/monitors";
import { UpgradeLink } from "@/components/ui/field";
import type { FormState } from "@/web/action";

/**
 * Wraps the server-rendered monitors table in a form: row checkboxes (name="ids") stay
 * uncontrolled so a 15 s refresh keeps the selection; this only counts them and drives
 * the pause / resume / delete bar.
 */
export function BulkActions({ children }: { children: React.ReactNode }) {
  const [state, action, pending] = useActionState<FormState, FormData>(bulkAction, {});
  const [count, setCount] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const sync = useCallback(() => {
    const form = formRef.current;
    if (!form) return;
    const boxes = [...form.querySelectorAll<HTMLInputElement>('input[name="ids"]')];
    const n = boxes.filter((b) => b.checked).length;
    const all = form.querySelector<HTMLInputElement>("input[data-select-all]");
    if (all) {
      all.checked = n > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
    setCount(n);
    if (n === 0) setConfirmDelete(false);
  }, []);
  // After an action React resets the form and the list re-renders; recount once it has.
  useEffect(() => {
    const t = setTimeout(sync, 0);
    return () => clearTimeout(t);
  }, [state, sync]);
  // A native listener: after form.reset() React's onChange misses the next click on a box
  // it still believes is checked.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const onChange = (e: Event) => {
      const t = e.target;
      if (t instanceof HTMLInputElement && t.dataset.selectAll !== undefined) form.querySelectorAll<HTMLInputElement>('input[name="ids"]').forEach((b) => (b.checked = t.checked));
      sync();
    };
    form.addEventListener("change", onChange);
    return () => form.removeEventListener("change", onChange);
  }, [sync]);

  return (
    <form ref={formRef} action={action} className="card table-card" onReset={() => setTimeout(sync, 0)}>
      <div className={`bulk-bar${count ? " active" : ""}`}>
        <span className="bulk-count" aria-live="polite">
          {count ? `${count} selected` : "Select monitors to pause, resume or delete them"}
        </span>
        <div className="row bulk-buttons">
          <button className="btn secondary small" name="op" value="pause" disabled={!count || pending}>
            Pause
          </button>
          <button className="btn secondary small" name="op" value="resume" disabled={!count || pending}>
            Resume
          </button>
          {confirmDelete ? (
            <>
              <button className="btn danger small" name="op" value="delete" disabled={!count || pending}>
                Delete {count} monitor{count === 1 ? "" : "s"} and their history
              </button>
              <button type="button" className="btn secondary small" onClick={() => setConfirmDelete(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="btn secondary small danger-text" disabled={!count || pending} onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          )}
        </div>
        {state.message && (
          <span className={state.ok ? "bulk-ok" : "bulk-error"} role={state.ok ? "status" : "alert"}>
            {state.message}
            <UpgradeLink href={state.upgradeUrl} />
          </span>
        )}
      </div>
      {children}
    </form>
  );
}
