import { z } from 'zod';

// The errands' rules: limits, dispatch rounds and weights, 包保 visits and recurring tasks, lists in
// and out.

export const ErrandsSection = z.object({
  idempotencyTtlHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7),
  listLimit: z.coerce.number().int().min(1).max(500),
  /** Open (not completed or cancelled) errands one household may have; staff acting for it are not held to it. */
  maxOpenPerHousehold: z.coerce.number().int().min(1).max(1_000_000),
  /** Wrong handover codes an errand takes before code entry stops and staff must confirm delivery. */
  maxWrongHandoverCodes: z.coerce.number().int().min(1).max(100),
});

export const DispatchSection = z.object({
  /** K: helpers offered an errand at once. */
  offersPerRound: z.coerce.number().int().min(1).max(500),
  /** R1..R3: search radius of rounds 1, 2, 3 (later rounds keep the last). */
  radiiMeters: z.array(z.number().int().min(50).max(20_000)).min(1).max(5),
  /** N: rounds before an errand is escalated to staff. */
  rounds: z.coerce.number().int().min(1).max(10),
  offerWindowSeconds: z.coerce.number().int().min(5).max(3600),
  /** A round that found nobody is tried again this much later. */
  retryDelaySeconds: z.coerce.number().int().min(1).max(3600),
  /** Heavy goods above this floor without a lift need a helper who can carry them. */
  heavyFloorAbove: z.coerce.number().int().min(0).max(99),
  positionMaxAgeMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  autoConfirmHours: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30),
  /** How often each instance's sweeper looks for due deadlines; 0 turns it off (tests drive it). */
  sweepIntervalMs: z.coerce.number().int().min(0).max(60_000),
  sweepBatch: z.coerce.number().int().min(1).max(10_000),
  weights: z.object({
    zone: z.number().min(0),
    distance: z.number().min(0),
    load: z.number().min(0),
    recentAssignment: z.number().min(0),
    rating: z.number().min(0),
    hoursOnDuty: z.number().min(0),
  }),
});

export const CareSection = z.object({
  /** A 包保 visit not recorded this long after it fell due is missed: overdue to staff. */
  missedAfterHours: z.coerce
    .number()
    .min(1)
    .max(24 * 30),
  /** Recurring tasks (visits, repeated errands) read per round of a recurrence pass. */
  recurrenceBatch: z.coerce.number().int().min(1).max(10_000),
});

/** Lists in and out (modules/exports, modules/imports). */
export const ListsSection = z
  .object({
    /** Rows per keyset page of an export: one short query, one chunk sent. */
    exportPageSize: z.coerce.number().int().min(1).max(10_000).default(1000),
    importMaxBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 2 ** 20)
      .default(5 * 2 ** 20),
    importMaxRows: z.coerce.number().int().min(1).max(100_000).default(20_000),
    /** An uploaded batch not committed within this is discarded. */
    importBatchHours: z.coerce
      .number()
      .min(0.01)
      .max(24 * 7)
      .default(24),
  })
  .default({ exportPageSize: 1000, importMaxBytes: 5 * 2 ** 20, importMaxRows: 20_000, importBatchHours: 24 });
