import { defineEntity, p } from '@mikro-orm/core';

/**
 * Every staff action, written in the transaction that makes the change (recordAudit). Read newest
 * first per community, hence the index. `action` is a varchar (contracts' AUDIT_ACTIONS) so new
 * actions need no migration; before/after are JSON snapshots of what the action changed.
 */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  indexes: [{ properties: ['communityId', 'createdAt', 'id'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    communityId: p.integer(),
    actorUserId: p.integer(),
    actorRole: p.string().length(20),
    action: p.string().length(40),
    targetType: p.string().length(20),
    targetId: p.string().length(40),
    reason: p.string().length(200).nullable(),
    beforeJson: p.text().nullable(),
    afterJson: p.text().nullable(),
    createdAt: p.bigint('number'),
  },
});
