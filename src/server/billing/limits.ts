import { eq } from "drizzle-orm";
import { db, type Tx } from "../db/client";
import { organizations } from "../db/schema";
import { NotFound } from "../errors";
import { effectivePlan, type EffectivePlan } from "./effective";

/** The plan and limits that apply to an organization now (read inside `tx` when given). */
export async function planOf(organizationId: string, tx?: Tx): Promise<EffectivePlan> {
  const [org] = await (tx ?? db()).select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) throw new NotFound("No such organization");
  return effectivePlan(org);
}
