"use client";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";
import { openPortal, setDowngradeKeepAction, startCheckout } from "@/web/actions/billing";

/** Upgrade buttons of one plan (monthly and yearly): each starts Stripe Checkout. */
export function UpgradeButtons({ plan, planName, intervals }: { plan: string; planName: string; intervals: ("month" | "year")[] }) {
  const [state, action] = useActionState<FormState, FormData>(startCheckout, {});
  return (
    <form action={action} className="plan-actions">
      <input type="hidden" name="plan" value={plan} />
      {intervals.map((i) => (
        <IntervalButton key={i} interval={i} planName={planName} />
      ))}
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}

// The clicked button's interval goes with the form; both buttons wait while Stripe answers.
function IntervalButton({ interval, planName }: { interval: "month" | "year"; planName: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" name="interval" value={interval} className={interval === "month" ? "btn" : "btn secondary"} disabled={pending} aria-busy={pending}>
      {interval === "month" ? "Upgrade monthly" : "Upgrade yearly"}
      <span className="sr-only"> to {planName}</span>
    </button>
  );
}

/** Opens Stripe's Customer Portal (plan, cancel, payment method, billing details, invoices). */
export function ManageBillingButton({ label = "Manage billing" }: { label?: string }) {
  const [state, action] = useActionState<FormState, FormData>(openPortal, {});
  return (
    <form action={action}>
      <SubmitButton className="btn secondary" pendingText="Opening Stripe…">
        {label}
      </SubmitButton>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}

/** The ADMIN's choice of monitors that keep running when a downgrade pauses the ones beyond the plan. */
export function DowngradeKeepForm({ monitors, freeLimit }: { monitors: { id: string; name: string; keepOnDowngrade: boolean; pausedByPlan: boolean }[]; freeLimit: number }) {
  const [state, action] = useActionState<FormState, FormData>(setDowngradeKeepAction, {});
  return (
    <form action={action} className="form">
      <FormMessage message={state.message} ok={state.ok} />
      <fieldset className="field keep-list">
        <legend>Keep these running first (the Free plan runs {freeLimit})</legend>
        {monitors.map((m) => (
          <label key={m.id} className="check">
            <input type="checkbox" name="keep" value={m.id} defaultChecked={m.keepOnDowngrade} />
            <span>
              {m.name}
              {m.pausedByPlan && <span className="muted"> — paused by the plan</span>}
            </span>
          </label>
        ))}
      </fieldset>
      <SubmitButton pendingText="Saving…">Save choice</SubmitButton>
    </form>
  );
}
