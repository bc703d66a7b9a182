import { DataRegionCard } from "@/components/account/data-region-card";
import { DeleteOrganizationCard } from "@/components/account/delete-organization-card";
import { RetentionCard } from "@/components/account/retention-card";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Organization" };

export default async function OrganizationSettingsPage() {
  const ctx = await requireCtx();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Organization</h1>
          <p>Where {ctx.org.name}&apos;s data lives, how long it is kept, and deleting it.</p>
        </div>
      </div>
      <DataRegionCard />
      <RetentionCard organizationId={ctx.org.id} />
      <DeleteOrganizationCard />
    </>
  );
}
