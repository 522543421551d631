import type { AuditAction, ErrandStatus } from '@linli/contracts';
import type { Sql } from '../../infra/db/database';
import type { AuthUser } from '../auth/actor';
import { recordAudit } from '../audit/store';
import type { ErrandRecord } from './domain';

/**
 * Audits a staff step on an errand inside its transaction. `e` is the errand as the version-checked
 * transition found it, so it is exactly the state before.
 */
export function auditStaffErrandStep(
  tx: Sql,
  step: {
    actor: AuthUser;
    errand: ErrandRecord;
    action: AuditAction;
    to: ErrandStatus;
    helper?: { id: number; name: string } | null;
    reason?: string | null;
    at: number;
  },
): Promise<void> {
  const { errand: e } = step;
  const helperAfter = step.helper === undefined ? e.helperId : (step.helper?.id ?? null);
  return recordAudit(tx, {
    communityId: e.communityId,
    actorUserId: step.actor.userId,
    actorRole: 'staff',
    action: step.action,
    targetType: 'errand',
    targetId: e.publicId,
    reason: step.reason ?? null,
    before: { status: e.status, helperId: e.helperId },
    after: { status: step.to, helperId: helperAfter, ...(step.helper ? { helperName: step.helper.name } : {}) },
    at: step.at,
  });
}
