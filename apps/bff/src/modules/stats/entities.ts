import { defineEntity, p } from '@mikro-orm/core';
import { ERRAND_CATEGORIES } from '@linli/contracts';

// Daily roll-ups for statistics and the service-hours ledger, kept by single-row upserts in the
// transaction of each event (stats/rollup.ts), so a district's 90 days are read from a few
// thousand rows instead of a scan of a million errands. `day` is the Asia/Shanghai calendar day
// as yyyymmdd (20261129). Each event counts on the day it happened (created on creation day,
// delivered on delivery day, ...).

/**
 * Per community, day and category. `slot` (0–7, chosen at random per event, summed on read)
 * spreads a busy community's creates over eight rows, so they do not queue on one row lock.
 */
export const StatsCategoryDaily = defineEntity({
  name: 'StatsCategoryDaily',
  tableName: 'stats_category_daily',
  properties: {
    communityId: p.integer().primary(),
    day: p.integer().primary(),
    category: p.enum([...ERRAND_CATEGORIES]).primary(),
    slot: p.integer().primary(),
    created: p.integer().default(0),
    delivered: p.integer().default(0),
    /** Delivered within its SLA tier's hours of creation (红 2 h, 黄 24 h, 蓝 72 h). */
    deliveredWithinTier: p.integer().default(0),
    completed: p.integer().default(0),
    cancelled: p.integer().default(0),
    escalated: p.integer().default(0),
  },
});

/** Per community, day and compound (no slot: one compound's errands are few enough per day). */
export const StatsCompoundDaily = defineEntity({
  name: 'StatsCompoundDaily',
  tableName: 'stats_compound_daily',
  properties: {
    communityId: p.integer().primary(),
    day: p.integer().primary(),
    compoundId: p.integer().primary(),
    created: p.integer().default(0),
    delivered: p.integer().default(0),
    deliveredWithinTier: p.integer().default(0),
    completed: p.integer().default(0),
    cancelled: p.integer().default(0),
    escalated: p.integer().default(0),
  },
});

/**
 * Latency histograms in fixed log-scale buckets (stats/domain.ts), counted on the delivery day:
 * `accept` (created → accepted) and `deliver` (created → delivered) per community with helper 0,
 * `helper_deliver` (accepted → delivered) per helper for the ledger. Percentiles merge buckets.
 */
export const StatsLatencyDaily = defineEntity({
  name: 'StatsLatencyDaily',
  tableName: 'stats_latency_daily',
  properties: {
    communityId: p.integer().primary(),
    metric: p.enum(['accept', 'deliver', 'helper_deliver']).primary(),
    day: p.integer().primary(),
    helperId: p.integer().primary(),
    bucket: p.integer().primary(),
    n: p.integer().default(0),
  },
});

/** Per community (of the errand; of the helper for duty time), day and helper: the ledger's source. */
export const StatsHelperDaily = defineEntity({
  name: 'StatsHelperDaily',
  tableName: 'stats_helper_daily',
  properties: {
    communityId: p.integer().primary(),
    day: p.integer().primary(),
    helperId: p.integer().primary(),
    delivered: p.integer().default(0),
    /** Sum of accepted → delivered, ms. */
    deliverMsSum: p.bigint('number').default(0),
    /** Ratings received (感谢) and their stars. */
    thanks: p.integer().default(0),
    starsSum: p.integer().default(0),
    /** Closed duty spells, split at Shanghai midnight. */
    onDutyMs: p.bigint('number').default(0),
  },
});

/**
 * The days a household submitted errands, as bit masks over windows of 50 days (bit d of window
 * w is day number 50w + d; 50 bits stay exact in a JavaScript number): distinct households served
 * in a range read one row per household and window (about 3 for 90 days) instead of one per
 * household-day. `vulnerableDays` marks the days it submitted as a vulnerable household (elderly
 * alone, disabled, post-treatment).
 */
export const StatsHouseholdDays = defineEntity({
  name: 'StatsHouseholdDays',
  tableName: 'stats_household_days',
  properties: {
    communityId: p.integer().primary(),
    dayWindow: p.integer().primary(),
    householdId: p.integer().primary(),
    days: p.bigint('number').default(0),
    vulnerableDays: p.bigint('number').default(0),
  },
});
