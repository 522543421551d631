import { z } from 'zod';
import { ErrandCategory, HelperKind } from './enums';

/** A calendar day in Asia/Shanghai, YYYY-MM-DD. */
export const CalendarDay = z.iso.date('日期格式应为 YYYY-MM-DD');

/** The longest range one statistics request may cover. */
export const STATS_MAX_DAYS = 366;

export const StatsQuery = z.object({
  /** First day, included (Asia/Shanghai calendar); default 29 days before `to`. */
  from: CalendarDay.optional(),
  /** Last day, included, at most 366 days after `from`; default today. */
  to: CalendarDay.optional(),
  granularity: z.enum(['day', 'week']).default('day'),
  /** One community of the caller's scope; all of them when absent. */
  communityId: z.coerce.number().int().positive().optional(),
  /** How many helpers and compounds to list, busiest first. */
  top: z.coerce.number().int().min(1).max(1000).default(20),
});
export type StatsQuery = z.infer<typeof StatsQuery>;

/** Events counted on the day they happened. */
export const StatsCounts = z.object({
  created: z.number().int(),
  delivered: z.number().int(),
  /** Delivered within the SLA tier's hours of submission (红 2 h, 黄 24 h, 蓝 72 h). */
  deliveredWithinTier: z.number().int(),
  /** deliveredWithinTier / delivered; null when nothing was delivered. */
  withinTierShare: z.number().nullable(),
  completed: z.number().int(),
  cancelled: z.number().int(),
  escalated: z.number().int(),
});
export type StatsCounts = z.infer<typeof StatsCounts>;

/**
 * Percentiles of errands delivered in the period, read from log-scale histograms (40 buckets from
 * 1 minute to 72 hours, each about 24% wider than the last): each value is the upper edge of the
 * bucket holding it, so it is at most one bucket (≤ 24%) above the exact value; 72 h means "72 h or
 * more". Null when nothing was delivered.
 */
export const StatsLatency = z.object({
  /** Submission → the acceptance that carried it (after a release or reassignment, the last one). */
  acceptP50Ms: z.number().nullable(),
  acceptP90Ms: z.number().nullable(),
  /** Submission → delivery. */
  deliverP50Ms: z.number().nullable(),
  deliverP90Ms: z.number().nullable(),
});

export const StatsPeriod = StatsCounts.extend(StatsLatency.shape).extend({
  /** The period's first day (a week's Monday, or the range's first day if later). */
  period: CalendarDay,
});

export const StatsReport = z.object({
  from: CalendarDay,
  to: CalendarDay,
  granularity: z.enum(['day', 'week']),
  communityIds: z.array(z.number().int()),
  totals: StatsCounts.extend(StatsLatency.shape).extend({
    /** Helpers who delivered or were on duty in the range. */
    activeHelpers: z.number().int(),
    /** Distinct households that submitted errands in the range, and the vulnerable ones among them. */
    householdsServed: z.number().int(),
    vulnerableHouseholdsServed: z.number().int(),
  }),
  series: z.array(StatsPeriod),
  byCategory: z.array(StatsCounts.extend({ category: ErrandCategory })),
  /** Busiest compounds first (by errands created), at most `top`. */
  byCompound: z.array(StatsCounts.extend({ compoundId: z.number().int(), compoundName: z.string(), communityId: z.number().int() })),
  /** Helpers with most deliveries first, at most `top`. */
  topHelpers: z.array(
    z.object({
      helperId: z.number().int(),
      name: z.string(),
      delivered: z.number().int(),
      thanks: z.number().int(),
      averageStars: z.number().nullable(),
    }),
  ),
});
export type StatsReport = z.infer<typeof StatsReport>;

export const LedgerQuery = z.object({
  /** Calendar month, YYYY-MM (Asia/Shanghai); default the current month. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
    .optional(),
  communityId: z.coerce.number().int().positive().optional(),
});
export type LedgerQuery = z.infer<typeof LedgerQuery>;

/** The service-hours ledger (服务时长台账): one row per helper of the scope, for recognising volunteers. */
export const Ledger = z.object({
  month: z.string(),
  communityIds: z.array(z.number().int()),
  helpers: z.array(
    z.object({
      helperId: z.number().int(),
      name: z.string(),
      kind: HelperKind,
      communityId: z.number().int(),
      /** Errands delivered in the month. */
      errandsDone: z.number().int(),
      /** Time on duty in the month, to a tenth of an hour (a spell still open counts up to now). */
      hoursOnDuty: z.number(),
      /** Accepted → delivered; percentiles as in the statistics (bucket upper edges). */
      deliveryAvgMs: z.number().nullable(),
      deliveryP50Ms: z.number().nullable(),
      deliveryP90Ms: z.number().nullable(),
      /** Ratings received (感谢) and their average stars. */
      thanks: z.number().int(),
      averageStars: z.number().nullable(),
    }),
  ),
});
export type Ledger = z.infer<typeof Ledger>;
