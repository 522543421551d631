import { defineEntity, p } from '@mikro-orm/core';

/**
 * Work that must happen at a time: the end of an offer round, a dispatch retry, the automatic
 * confirmation of a delivered errand. Rows in MySQL, not Redis, so a restart or a Redis outage
 * loses none; every BFF instance's sweeper claims due rows with FOR UPDATE SKIP LOCKED.
 */
export const Deadline = defineEntity({
  name: 'Deadline',
  tableName: 'deadlines',
  indexes: [{ properties: ['dueAt'] }],
  uniques: [{ properties: ['errandId', 'kind', 'round'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** sla_due: a red errand's due time (escalate it if nobody has taken it, tell staff if not yet delivered). */
    kind: p.enum(['round_end', 'dispatch_retry', 'auto_confirm', 'sla_due']),
    errandId: p.bigint('number'),
    communityId: p.integer(),
    /** The dispatch round it belongs to (0 for auto_confirm). */
    round: p.integer(),
    /** Higher first when several are due: urgent, vulnerable, closed compound. */
    priority: p.integer(),
    dueAt: p.bigint('number'),
    createdAt: p.bigint('number'),
  },
});
