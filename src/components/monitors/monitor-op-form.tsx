"use client";
import { useActionState } from "react";
import { monitorOpAction } from "@/web/actions/monitors";
import { FormMessage } from "@/components/ui/field";
import type { FormState } from "@/web/action";

/** Pause, resume or delete one monitor from its page; a refusal (e.g. the plan is full) is shown beside the button. */
export function MonitorOpForm({ monitorId, op, label, className, children }: { monitorId: string; op: "pause" | "resume" | "delete"; label: string; className: string; children?: React.ReactNode }) {
  const [state, action] = useActionState<FormState, FormData>(monitorOpAction, {});
  return (
    <form action={action} className={op === "delete" ? "popover" : undefined}>
      {children}
      <input type="hidden" name="monitorId" value={monitorId} />
      <button className={className} name="op" value={op}>
        {label}
      </button>
      {!state.ok && <FormMessage message={state.message} upgradeUrl={state.upgradeUrl} />}
    </form>
  );
}
