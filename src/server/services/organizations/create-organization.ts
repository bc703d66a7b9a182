import { db } from "../../db/client";
import { memberships, organizations } from "../../db/schema";
import type { Actor, RequestMeta } from "../../context";
import { parseInput } from "../../lib/parse";
import { slugWithSuffix } from "../../lib/slug";
import { createOrganizationSchema } from "../../validation/organizations";
import { recordAudit } from "../audit/record";

/** Any signed-in user may create an organization; they become its ADMIN. */
export async function createOrganization({ actor, input, meta }: { actor: Actor; input: unknown; meta: RequestMeta }) {
  const { name } = parseInput(createOrganizationSchema, input);
  return db().transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name, slug: slugWithSuffix(name) })
      .returning();
    await tx.insert(memberships).values({ organizationId: org!.id, userId: actor.userId, role: "ADMIN" });
    await recordAudit(tx, { organizationId: org!.id, actorUserId: actor.userId, action: "organization.created", targetType: "organization", targetId: org!.id, metadata: { name }, meta });
    return org!;
  });
}
