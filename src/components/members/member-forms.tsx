"use client";
import { useActionState } from "react";
import { changeRoleAction, inviteAction, leaveAction, removeMemberAction, revokeInvitationAction } from "@/web/actions/members";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

const ROLES = ["ADMIN", "EDITOR", "VIEWER"] as const;

export function InviteForm() {
  const [state, action] = useActionState<FormState, FormData>(inviteAction, {});
  return (
    <form action={action} className="form" data-testid="invite-form" noValidate>
      <FormMessage message={state.message} ok={state.ok} upgradeUrl={state.upgradeUrl} />
      <div className="row" style={{ alignItems: "flex-end" }}>
        <div style={{ flex: 2, minWidth: 220 }}>
          <Field label="Email address" name="email" type="email" autoComplete="off" defaultValue={state.ok ? "" : state.values?.email} errors={state.fields?.email} />
        </div>
        <div className="field" style={{ flex: 1, minWidth: 140 }}>
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" name="role" defaultValue={state.values?.role ?? "EDITOR"}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div>
          <SubmitButton pendingText="Sending…">Send invitation</SubmitButton>
        </div>
      </div>
      <p className="hint muted">ADMIN manages members and settings; EDITOR manages monitors, channels and status pages; VIEWER only reads.</p>
    </form>
  );
}

export function RoleSelect({ userId, role, name }: { userId: string; role: string; name: string }) {
  const [state, action] = useActionState<FormState, FormData>(changeRoleAction, {});
  return (
    <form action={action} className="row" style={{ gap: "0.4rem" }}>
      <input type="hidden" name="userId" value={userId} />
      <label className="skip-link" htmlFor={`role-${userId}`}>
        Role of {name}
      </label>
      <select id={`role-${userId}`} name="role" defaultValue={role} aria-label={`Role of ${name}`}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <SubmitButton className="btn secondary small" pendingText="…">
        Save
      </SubmitButton>
      {state.message && !state.ok && (
        <span className="field-error" role="alert">
          {state.message}
        </span>
      )}
    </form>
  );
}

export function RemoveButton({ userId, name }: { userId: string; name: string }) {
  const [state, action] = useActionState<FormState, FormData>(removeMemberAction, {});
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(`Remove ${name} from this organization? They are signed out at once.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton className="btn secondary small" pendingText="Removing…">
        Remove
      </SubmitButton>
      {state.message && !state.ok && (
        <span className="field-error" role="alert">
          {state.message}
        </span>
      )}
    </form>
  );
}

export function RevokeButton({ invitationId }: { invitationId: string }) {
  const [, action] = useActionState<FormState, FormData>(revokeInvitationAction, {});
  return (
    <form action={action}>
      <input type="hidden" name="invitationId" value={invitationId} />
      <SubmitButton className="btn secondary small" pendingText="…">
        Revoke
      </SubmitButton>
    </form>
  );
}

export function LeaveButton({ orgName }: { orgName: string }) {
  const [state, action] = useActionState<FormState, FormData>(leaveAction, {});
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(`Leave ${orgName}? You will lose access to it.`)) e.preventDefault();
      }}
    >
      <FormMessage message={state.ok ? undefined : state.message} />
      <SubmitButton className="btn secondary" pendingText="Leaving…">
        Leave {orgName}
      </SubmitButton>
    </form>
  );
}
