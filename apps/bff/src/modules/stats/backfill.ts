import type { Dialect } from '../../infra/db/database';
import { dialectNamed } from '../../infra/db/dialect';
import { DAY_WINDOW, bucketSql, tierMsSql } from './domain';

// The roll-ups rebuilt from the errands and their timeline, as INSERT … SELECT … GROUP BY
// statements into empty roll-up tables: what the upgrade migration runs so a database keeps its
// history's statistics, and what the benchmark runs after seeding. The definitions match
// rollup.ts event for event (slot 0 for every category row). Two things history cannot give:
// duty time per day (only a helper's total was kept, so the ledger's hours start at the upgrade),
// and the day of a rating (taken as the errand's last update, which the rating was).

/** Days since 1970-01-01 in Shanghai of an epoch-ms column: an integer in both dialects. */
const dayNumberSql = (dialect: Dialect, col: string) => dialectNamed(dialect).intDiv(`${col} + 28800000`, '86400000');

/** Every statement of the backfill, in order. */
export function backfillStatements(dialect: Dialect): string[] {
  const d = dialectNamed(dialect);
  const day = (col: string) => d.shanghaiDay(col);
  const dayNumber = (col: string) => dayNumberSql(dialect, col);
  const within = `CASE WHEN e.delivered_at - e.created_at <= ${tierMsSql('e')} THEN 1 ELSE 0 END`;
  // One row per counted event: created, delivered (within tier or not), completed, cancelled, escalated.
  const events = (dim: string) => `
      SELECT e.community_id, ${day('e.created_at')} AS day, ${dim} AS dim, 1 AS created, 0 AS delivered, 0 AS within_tier, 0 AS completed, 0 AS cancelled, 0 AS escalated
        FROM errands e
      UNION ALL
      SELECT e.community_id, ${day('e.delivered_at')}, ${dim}, 0, 1, ${within}, 0, 0, 0 FROM errands e WHERE e.delivered_at IS NOT NULL
      UNION ALL
      SELECT e.community_id, ${day('e.completed_at')}, ${dim}, 0, 0, 0, 1, 0, 0 FROM errands e WHERE e.completed_at IS NOT NULL
      UNION ALL
      SELECT e.community_id, ${day('e.cancelled_at')}, ${dim}, 0, 0, 0, 0, 1, 0 FROM errands e WHERE e.cancelled_at IS NOT NULL
      UNION ALL
      SELECT e.community_id, ${day('v.created_at')}, ${dim}, 0, 0, 0, 0, 0, 1
        FROM errand_events v JOIN errands e ON e.id = v.errand_id WHERE v.to_status = 'escalated'`;
  const sums = 'SUM(created), SUM(delivered), SUM(within_tier), SUM(completed), SUM(cancelled), SUM(escalated)';
  const counters = 'created, delivered, delivered_within_tier, completed, cancelled, escalated';
  const delivered = 'FROM errands e WHERE e.delivered_at IS NOT NULL';
  return [
    `INSERT INTO stats_category_daily (community_id, day, category, slot, ${counters})
     SELECT community_id, day, dim, 0, ${sums} FROM (${events('e.category')}) x GROUP BY community_id, day, dim`,
    `INSERT INTO stats_compound_daily (community_id, day, compound_id, ${counters})
     SELECT community_id, day, dim, ${sums} FROM (${events('e.compound_id')}) x GROUP BY community_id, day, dim`,
    `INSERT INTO stats_latency_daily (community_id, metric, day, helper_id, bucket, n)
     SELECT community_id, metric, day, helper_id, bucket, COUNT(*) FROM (
       SELECT e.community_id, 'accept' AS metric, ${day('e.delivered_at')} AS day, 0 AS helper_id, ${bucketSql('(e.accepted_at - e.created_at)')} AS bucket
         ${delivered} AND e.accepted_at IS NOT NULL
       UNION ALL
       SELECT e.community_id, 'deliver', ${day('e.delivered_at')}, 0, ${bucketSql('(e.delivered_at - e.created_at)')} ${delivered}
       UNION ALL
       SELECT e.community_id, 'helper_deliver', ${day('e.delivered_at')}, e.helper_id, ${bucketSql('(e.delivered_at - e.accepted_at)')}
         ${delivered} AND e.accepted_at IS NOT NULL AND e.helper_id IS NOT NULL
     ) x GROUP BY community_id, metric, day, helper_id, bucket`,
    `INSERT INTO stats_helper_daily (community_id, day, helper_id, delivered, deliver_ms_sum, thanks, stars_sum, on_duty_ms)
     SELECT community_id, day, helper_id, SUM(delivered), SUM(deliver_ms), SUM(thanks), SUM(stars), 0 FROM (
       SELECT e.community_id, ${day('e.delivered_at')} AS day, e.helper_id, 1 AS delivered, e.delivered_at - e.accepted_at AS deliver_ms, 0 AS thanks, 0 AS stars
         ${delivered} AND e.accepted_at IS NOT NULL AND e.helper_id IS NOT NULL
       UNION ALL
       SELECT e.community_id, ${day('e.updated_at')}, e.helper_id, 0, 0, 1, e.rating_stars
         FROM errands e WHERE e.rating_stars IS NOT NULL AND e.helper_id IS NOT NULL
     ) x GROUP BY community_id, day, helper_id`,
    // The sum of distinct powers of two is their bitwise OR (SQLite has no BIT_OR aggregate).
    `INSERT INTO stats_household_days (community_id, day_window, household_id, days, vulnerable_days)
     SELECT community_id, day_window, household_id, SUM(DISTINCT bit), SUM(DISTINCT CASE WHEN vulnerable = 1 THEN bit ELSE 0 END) FROM (
       SELECT e.community_id, e.household_id, e.vulnerable, ${d.intDiv(dayNumber('e.created_at'), String(DAY_WINDOW))} AS day_window,
              1 << (${dayNumber('e.created_at')} % ${DAY_WINDOW}) AS bit
         FROM errands e
     ) x GROUP BY community_id, day_window, household_id`,
  ];
}
