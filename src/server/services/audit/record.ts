import type { DbOrTx } from "../../db/client";
import { auditLog } from "../../db/schema";
import type { RequestMeta } from "../../context";

export type AuditInput = {
  organizationId: string | null;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  meta: RequestMeta;
};

/** Call with the transaction that makes the change, so the two commit or fail together. */
export async function recordAudit(tx: DbOrTx, input: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    organizationId: input.organizationId,
    actorUserId: input.actorUserId,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    metadata: input.metadata ?? {},
    ip: input.meta.ip,
    userAgent: input.meta.userAgent?.slice(0, 512) ?? null,
  });
}
