import Link from "next/link";
import { ConfirmEmailBanner } from "@/components/account/confirm-email-banner";
import { NAV_TOGGLE_ID, NavLinks } from "@/components/shell/nav-links";
import { OrgSwitcher } from "@/components/shell/org-switcher";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { PastDueBanner } from "@/components/billing/past-due-banner";
import { can } from "@/server/auth/permissions";
import { env } from "@/server/env";
import { getPastDueNotice } from "@/server/services/billing/get-past-due-notice";
import { requireCtx } from "@/web/session";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireCtx();
  const { session } = ctx;
  const pastDue = can(ctx.org.role, "billing:manage") ? await getPastDueNotice({ ctx }) : null;
  const settings = [
    { href: "/settings/account", label: "Account" },
    { href: "/settings/security", label: "Security" },
    { href: "/settings/members", label: "Members" },
    { href: "/settings/organization", label: "Organization" },
    ...(can(ctx.org.role, "billing:manage") ? [{ href: "/settings/billing", label: "Billing" }] : []),
    ...(can(ctx.org.role, "audit:read") ? [{ href: "/settings/audit-log", label: "Audit log" }] : []),
    ...(can(ctx.org.role, "api-keys:manage") ? [{ href: "/settings/api-keys", label: "API keys" }] : []),
    { href: "/docs/api", label: "API docs" },
  ];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {/* Phones: a header bar whose Menu toggle (a checkbox, so it works without scripts) shows the sidebar. */}
      <input type="checkbox" id={NAV_TOGGLE_ID} className="nav-toggle" aria-controls="sidebar" />
      <header className="topbar">
        <Link href="/monitors" className="brand" aria-label="Perigee home">
          <span className="brand-dot" aria-hidden />
          Perigee
        </Link>
        <label htmlFor={NAV_TOGGLE_ID} className="btn secondary small menu-button" data-testid="menu-button">
          <span className="menu-icon" aria-hidden />
          Menu
        </label>
      </header>
      <aside className="sidebar" id="sidebar">
        <Link href="/monitors" className="brand sidebar-brand" aria-label="Perigee home">
          <span className="brand-dot" aria-hidden />
          Perigee
        </Link>
        <OrgSwitcher orgs={session.orgs} activeId={ctx.org.id} />
        <NavLinks
          sections={[
            {
              items: [
                { href: "/monitors", label: "Monitors" },
                { href: "/incidents", label: "Incidents" },
                { href: "/maintenance", label: "Maintenance" },
                { href: "/status-pages", label: "Status pages" },
                { href: "/notifications", label: "Notifications" },
              ],
            },
            { title: "Settings", items: settings },
            ...(session.user.isAdmin ? [{ title: "Site", items: [{ href: "/admin", label: "Site admin" }] }] : []),
          ]}
        />
        <div className="sidebar-foot">
          <span>
            Signed in as <strong>{session.user.name}</strong>
            <br />
            <span className="mono">{session.user.email}</span>
          </span>
          <SignOutButton />
          <span className="muted" data-testid="data-region">
            Data region: <span className="mono">{env().DATA_REGION}</span>
          </span>
        </div>
      </aside>
      <main id="main" className="main">
        {!session.user.emailConfirmed && <ConfirmEmailBanner email={session.user.email} />}
        {pastDue && <PastDueBanner notice={pastDue} />}
        {children}
      </main>
    </div>
  );
}
