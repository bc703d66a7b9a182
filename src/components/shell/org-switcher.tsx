"use client";
import { useRef } from "react";
import { switchOrganizationAction } from "@/web/actions/organizations";

type Org = { id: string; name: string; role: string };

export function OrgSwitcher({ orgs, activeId }: { orgs: Org[]; activeId: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  return (
    <form ref={formRef} action={switchOrganizationAction} className="org-switch">
      <label htmlFor="org-switch" className="nav-section" style={{ display: "block", padding: "0 0 0.25rem" }}>
        Organization
      </label>
      <select id="org-switch" name="organizationId" defaultValue={activeId} onChange={() => formRef.current?.requestSubmit()}>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role.toLowerCase()})
          </option>
        ))}
      </select>
      <noscript>
        <button className="btn small" type="submit">
          Switch
        </button>
      </noscript>
    </form>
  );
}
