// Writes one audit event for an IAM change, inside the change's own transaction.
import type { StoreTx } from '../store/contract.js';
import { actorName, type Actor } from './actor.js';
import { newAuditEventId } from './new-audit-event-id.js';
import { rootOf } from './uidp.js';

export async function recordAudit(
  tx: StoreTx,
  actor: Actor,
  at: Date,
  action: string,
  target: string,
  group: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.insertAudit({
    id: newAuditEventId(),
    at: at.toISOString(),
    actor: actorName(actor),
    action,
    target,
    group: group ?? (target.length >= 40 ? rootOf(target) : null),
    remoteAddr: actor.remoteAddr,
    details,
  });
}
