import { defineEntity, p } from '@mikro-orm/core';

/**
 * Something that happens again every few days: a 包保 visit ('visit') or a resident's repeated
 * errand ('repeat_errand'). The recurrence pass claims due rows (next_run_at) one transaction
 * each, runs the kind's handler and moves next_run_at on, so an occurrence runs once across
 * instances and restarts. `payload_json` is the kind's own data.
 */
export const RecurringTask = defineEntity({
  name: 'RecurringTask',
  tableName: 'recurring_tasks',
  indexes: [{ properties: ['active', 'nextRunAt'] }, { properties: ['ownerUserId', 'kind'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    kind: p.enum(['visit', 'repeat_errand']),
    /** Whose task it is: the resident who repeats an errand, the helper who visits. */
    ownerUserId: p.integer(),
    communityId: p.integer(),
    householdId: p.integer(),
    cadenceDays: p.integer(),
    nextRunAt: p.bigint('number'),
    payloadJson: p.text(),
    active: p.boolean().default(true),
    lastRunAt: p.bigint('number').nullable(),
    /** What the last occurrence did ('created', 'skipped_cap', …), for the owner to read. */
    lastResult: p.string().length(20).nullable(),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
});
