import type { ErrandCategory } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import { rangeMasks } from './domain';

// Reads of the roll-ups: every query is a range on a primary key that begins (community_id, day)
// (or (community_id, metric, day)), over the scope's communities and the requested days.

export interface DayRange {
  communityIds: readonly number[];
  fromDay: number;
  toDay: number;
}

export interface CountRow {
  created: number;
  delivered: number;
  deliveredWithinTier: number;
  completed: number;
  cancelled: number;
  escalated: number;
}

const SUMS = `SUM(created) AS created, SUM(delivered) AS delivered, SUM(delivered_within_tier) AS within_tier,
  SUM(completed) AS completed, SUM(cancelled) AS cancelled, SUM(escalated) AS escalated`;

const inList = (ids: readonly number[]) => ids.map(() => '?').join(', ');

function counts(r: Record<string, unknown>): CountRow {
  return {
    created: num(r.created ?? 0),
    delivered: num(r.delivered ?? 0),
    deliveredWithinTier: num(r.within_tier ?? 0),
    completed: num(r.completed ?? 0),
    cancelled: num(r.cancelled ?? 0),
    escalated: num(r.escalated ?? 0),
  };
}

/** Counts per day and category (slots summed). */
export async function countsByDayAndCategory(sql: Sql, r: DayRange): Promise<(CountRow & { day: number; category: ErrandCategory })[]> {
  const rows = await sql.all(
    `SELECT day, category, ${SUMS} FROM stats_category_daily
      WHERE community_id IN (${inList(r.communityIds)}) AND day BETWEEN ? AND ? GROUP BY day, category`,
    [...r.communityIds, r.fromDay, r.toDay],
  );
  return rows.map((row) => ({ day: num(row.day), category: row.category as ErrandCategory, ...counts(row) }));
}

/** Counts per community and compound in the range (summed per compound by the service). */
export async function countsByCommunityAndCompound(
  sql: Sql,
  r: DayRange,
): Promise<(CountRow & { compoundId: number; communityId: number })[]> {
  const rows = await sql.all(
    `SELECT community_id, compound_id, ${SUMS} FROM stats_compound_daily
      WHERE community_id IN (${inList(r.communityIds)}) AND day BETWEEN ? AND ?
      GROUP BY community_id, compound_id`,
    [...r.communityIds, r.fromDay, r.toDay],
  );
  return rows.map((row) => ({ compoundId: num(row.compound_id), communityId: num(row.community_id), ...counts(row) }));
}

/** Histogram counts per day, metric and bucket (community-wide metrics). */
export async function latencyByDay(
  sql: Sql,
  r: DayRange,
): Promise<{ day: number; metric: 'accept' | 'deliver'; bucket: number; n: number }[]> {
  const rows = await sql.all(
    `SELECT day, metric, bucket, SUM(n) AS n FROM stats_latency_daily
      WHERE community_id IN (${inList(r.communityIds)}) AND metric IN ('accept', 'deliver') AND day BETWEEN ? AND ?
      GROUP BY day, metric, bucket`,
    [...r.communityIds, r.fromDay, r.toDay],
  );
  return rows.map((row) => ({ day: num(row.day), metric: row.metric as 'accept' | 'deliver', bucket: num(row.bucket), n: num(row.n) }));
}

export interface HelperSums {
  helperId: number;
  delivered: number;
  deliverMsSum: number;
  thanks: number;
  starsSum: number;
  onDutyMs: number;
}

const helperSums = (row: Record<string, unknown>): HelperSums => ({
  helperId: num(row.helper_id),
  delivered: num(row.delivered),
  deliverMsSum: num(row.deliver_ms_sum),
  thanks: num(row.thanks),
  starsSum: num(row.stars_sum),
  onDutyMs: num(row.on_duty_ms),
});

const HELPER_SUMS = `helper_id, SUM(delivered) AS delivered, SUM(deliver_ms_sum) AS deliver_ms_sum, SUM(thanks) AS thanks,
  SUM(stars_sum) AS stars_sum, SUM(on_duty_ms) AS on_duty_ms`;

/** Every helper's sums in the range (the ledger; the busiest and the active ones for the statistics). */
export async function helperSumsIn(sql: Sql, r: DayRange): Promise<HelperSums[]> {
  const rows = await sql.all(
    `SELECT ${HELPER_SUMS} FROM stats_helper_daily WHERE community_id IN (${inList(r.communityIds)}) AND day BETWEEN ? AND ? GROUP BY helper_id`,
    [...r.communityIds, r.fromDay, r.toDay],
  );
  return rows.map(helperSums);
}

/** The same per community and helper (the statistics merge closed weeks kept in memory). */
export async function helperSumsByCommunity(sql: Sql, r: DayRange): Promise<(HelperSums & { communityId: number })[]> {
  const rows = await sql.all(
    `SELECT community_id, ${HELPER_SUMS} FROM stats_helper_daily
      WHERE community_id IN (${inList(r.communityIds)}) AND day BETWEEN ? AND ? GROUP BY community_id, helper_id`,
    [...r.communityIds, r.fromDay, r.toDay],
  );
  return rows.map((row) => ({ ...helperSums(row), communityId: num(row.community_id) }));
}

/** Distinct households with an errand submitted in the range, and the vulnerable ones. */
export async function householdsServed(sql: Sql, r: DayRange): Promise<{ served: number; vulnerable: number }> {
  const windows = rangeMasks(r.fromDay, r.toDay);
  // Masks are computed here, never input: integers below 2^50, written as literals.
  const inRange = (column: string) =>
    `(${column} & CASE day_window ${windows.map((w) => `WHEN ${w.window} THEN ${w.mask}`).join(' ')} ELSE 0 END) <> 0`;
  const row = await sql.one(
    `SELECT COUNT(DISTINCT CASE WHEN ${inRange('days')} THEN household_id END) AS served,
            COUNT(DISTINCT CASE WHEN ${inRange('vulnerable_days')} THEN household_id END) AS vulnerable
       FROM stats_household_days
      WHERE community_id IN (${inList(r.communityIds)}) AND day_window BETWEEN ? AND ?`,
    [...r.communityIds, windows[0]!.window, windows[windows.length - 1]!.window],
  );
  return { served: num(row?.served ?? 0), vulnerable: num(row?.vulnerable ?? 0) };
}

/** Per-helper delivery-duration histograms in the range (the ledger). */
export async function helperDeliveryBuckets(sql: Sql, r: DayRange): Promise<{ helperId: number; bucket: number; n: number }[]> {
  const rows = await sql.all(
    `SELECT helper_id, bucket, SUM(n) AS n FROM stats_latency_daily
      WHERE community_id IN (${inList(r.communityIds)}) AND metric = 'helper_deliver' AND day BETWEEN ? AND ?
      GROUP BY helper_id, bucket`,
    [...r.communityIds, r.fromDay, r.toDay],
  );
  return rows.map((row) => ({ helperId: num(row.helper_id), bucket: num(row.bucket), n: num(row.n) }));
}
