import { defineEntity, p } from '@mikro-orm/core';
import { ExactString } from '../../infra/db/exact-string';
import { ERRAND_CATEGORIES, ERRAND_STATUSES, OFFER_STATUSES, SLA_TIERS, URGENCIES } from '@linli/contracts';

export const Errand = defineEntity({
  name: 'Errand',
  tableName: 'errands',
  indexes: [
    // The staff queue: one status at a time, most pressing first (modules/staff/store.ts).
    { name: 'errands_staff_queue_index', properties: ['communityId', 'status', 'queueRank', 'createdAt', 'id'] },
    // Exports walk a community's errands by creation time in keyset pages (modules/exports).
    { name: 'errands_export_index', properties: ['communityId', 'createdAt', 'id'] },
    // The queue under one 红黄蓝 tier, in the same order (modules/staff/store.ts).
    { name: 'errands_sla_queue_index', properties: ['communityId', 'slaTier', 'status', 'queueRank', 'createdAt', 'id'] },
    // History and search, newest first, one status at a time (modules/staff/history-store.ts).
    { name: 'errands_history_index', properties: ['communityId', 'status', 'createdAt', 'id'] },
    // A household's errands by status, newest first: open-errand caps and the staff search (covering).
    { name: 'errands_household_history_index', properties: ['householdId', 'status', 'createdAt', 'id'] },
    // History filtered by helper, building, compound or category: page and bounded count (covering).
    { name: 'errands_history_helper_index', properties: ['communityId', 'helperId', 'status', 'createdAt', 'id', 'slaTier', 'category'] },
    {
      name: 'errands_history_building_index',
      properties: ['communityId', 'buildingId', 'status', 'createdAt', 'id', 'slaTier', 'category'],
    },
    {
      name: 'errands_history_compound_index',
      properties: ['communityId', 'compoundId', 'status', 'createdAt', 'id', 'slaTier', 'category'],
    },
    { name: 'errands_history_category_index', properties: ['communityId', 'category', 'status', 'createdAt', 'id', 'slaTier'] },
    { properties: ['helperId', 'status'] },
    { properties: ['helperId', 'acceptedAt'] },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** What clients see: random, so ids cannot be guessed or counted. */
    publicId: p.string().length(22).type(ExactString).unique(),
    communityId: p.integer(),
    compoundId: p.integer(),
    buildingId: p.integer(),
    householdId: p.integer(),
    /** Who submitted it: the resident, or a helper/staff member on the household's behalf. */
    requesterId: p.integer().index(),
    onBehalf: p.boolean().default(false),
    category: p.enum([...ERRAND_CATEGORIES]),
    itemsJson: p.text(),
    heavy: p.boolean(),
    urgency: p.enum([...URGENCIES]),
    /** Household vulnerable (elderly alone, disabled, post-treatment) when submitted. */
    vulnerable: p.boolean().default(false),
    windowStart: p.bigint('number').nullable(),
    windowEnd: p.bigint('number').nullable(),
    notes: p.string().length(200).nullable(),
    status: p.enum([...ERRAND_STATUSES]),
    helperId: p.integer().nullable(),
    handoverCode: p.string().length(4),
    /** Wrong handover codes tried; at the configured limit code entry stops and staff confirm delivery. */
    handoverFailures: p.integer().default(0),
    dispatchRound: p.integer().default(0),
    /** The round at which the current dispatch attempt began (a release starts a new attempt). */
    attemptStartRound: p.integer().default(1),
    version: p.integer().default(1),
    /** Place in the staff queue, ascending (1000 − need score; see queueRank in domain.ts). */
    queueRank: p.integer().default(1000),
    /** 红黄蓝 tier set at creation from config (slaTierFor in contracts/sla.ts); never changes. */
    slaTier: p.enum([...SLA_TIERS]).default('blue'),
    /** When it is due: created_at + the tier's hours at creation. */
    dueAt: p.bigint('number').default(0),
    ratingStars: p.integer().nullable(),
    ratingComment: p.string().length(200).nullable(),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
    acceptedAt: p.bigint('number').nullable(),
    pickedUpAt: p.bigint('number').nullable(),
    deliveredAt: p.bigint('number').nullable(),
    completedAt: p.bigint('number').nullable(),
    cancelledAt: p.bigint('number').nullable(),
    /** When the retention clean-up removed what people typed (see modules/privacy). */
    minimisedAt: p.bigint('number').nullable(),
  },
});

/** The timeline: one row per status change, written in the same transaction as the change. */
export const ErrandEvent = defineEntity({
  name: 'ErrandEvent',
  tableName: 'errand_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    errandId: p.bigint('number').index(),
    communityId: p.integer(),
    actorUserId: p.integer().nullable(),
    actorRole: p.enum(['resident', 'helper', 'staff', 'system']),
    fromStatus: p.enum([...ERRAND_STATUSES]).nullable(),
    toStatus: p.enum([...ERRAND_STATUSES]),
    note: p.string().length(200).nullable(),
    createdAt: p.bigint('number'),
  },
});

export const Offer = defineEntity({
  name: 'Offer',
  tableName: 'offers',
  uniques: [{ properties: ['errandId', 'helperId', 'round'] }],
  indexes: [{ properties: ['helperId', 'status'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    errandId: p.bigint('number'),
    helperId: p.integer(),
    communityId: p.integer(),
    round: p.integer(),
    status: p.enum([...OFFER_STATUSES]),
    distanceM: p.integer().nullable(),
    createdAt: p.bigint('number'),
    expiresAt: p.bigint('number'),
    respondedAt: p.bigint('number').nullable(),
  },
});

/**
 * Errands per community and status, as deltas inserted with each status change and folded
 * together by housekeeping: SUM(delta) is the exact count (see status-counts.ts).
 */
export const ErrandStatusCount = defineEntity({
  name: 'ErrandStatusCount',
  tableName: 'errand_status_counts',
  indexes: [{ properties: ['communityId', 'status'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    communityId: p.integer(),
    status: p.enum([...ERRAND_STATUSES]),
    /** The errands' 红黄蓝 tier: counts are exact per status and tier. */
    slaTier: p.enum([...SLA_TIERS]).default('blue'),
    delta: p.integer(),
  },
});

/** A creation request's first result, replayed for retries with the same Idempotency-Key. */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_keys',
  properties: {
    userId: p.integer().primary(),
    idemKey: p.string().length(100).type(ExactString).primary(),
    requestHash: p.string().length(64),
    statusCode: p.integer(),
    responseJson: p.text(),
    createdAt: p.bigint('number'),
    expiresAt: p.bigint('number').index(),
  },
});
