import { defineEntity, p } from '@mikro-orm/core';

/**
 * The 包保 care ledger: one row per vulnerable household under care, with its responsible helper
 * and visit cadence. `next_visit_due_at` is when the visit the helper owes is (or was) due; staff
 * page the ledger by it.
 */
export const CareAssignment = defineEntity({
  name: 'CareAssignment',
  tableName: 'care_assignments',
  indexes: [{ properties: ['communityId', 'nextVisitDueAt', 'id'] }, { properties: ['helperId'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    householdId: p.integer().unique(),
    communityId: p.integer(),
    helperId: p.integer(),
    cadenceDays: p.integer(),
    /** The recurring task that creates the visits. */
    taskId: p.integer(),
    nextVisitDueAt: p.bigint('number'),
    lastVisitAt: p.bigint('number').nullable(),
    lastOutcome: p.enum(['safe', 'needs_help']).nullable(),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
});

/**
 * One visit (探访) a helper owes a household: pending until recorded, missed once past its window
 * (then overdue to staff until recorded late), cancelled when the care ends.
 */
export const CareVisit = defineEntity({
  name: 'CareVisit',
  tableName: 'care_visits',
  indexes: [
    { properties: ['helperId', 'status'] },
    { properties: ['communityId', 'status'] },
    { properties: ['status', 'dueAt'] },
    { properties: ['assignmentId', 'status'] },
  ],
  uniques: [{ properties: ['assignmentId', 'dueAt'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    assignmentId: p.integer(),
    communityId: p.integer(),
    householdId: p.integer(),
    helperId: p.integer(),
    dueAt: p.bigint('number'),
    status: p.enum(['pending', 'done', 'missed', 'cancelled']).default('pending'),
    outcome: p.enum(['safe', 'needs_help']).nullable(),
    note: p.string().length(200).nullable(),
    /** The errand a 需要帮助 visit raised. */
    errandId: p.integer().nullable(),
    doneAt: p.bigint('number').nullable(),
    createdAt: p.bigint('number'),
  },
});
