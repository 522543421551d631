import { randomInt } from 'node:crypto';
import type { ErrandCategory, ErrandStatus, Urgency } from '@linli/contracts';
import type { Sql, Statement } from '../../infra/db/database';
import type { SqlDialect } from '../../infra/db/dialect';
import { bucketOf, dayBit, dayOf, deliveredWithinTier, splitByDay } from './domain';

// Keeping the daily roll-ups (entities.ts) in step with the events, in the event's own
// transaction: one single-row upsert per table touched, so they commit or roll back with it.
// Tables are always touched in the same order (category, compound, latency, helper, household)
// so two events never wait for each other crosswise.

/** Rows per community and day a category's counts are spread over (see StatsCategoryDaily). */
const CATEGORY_SLOTS = 8;

type Counters = Record<string, number>;

/**
 * The upsert adding `add` to the row with `key`, creating it if needed. Table and column names are
 * literals of this module, never input. The one place the two dialects' upserts differ.
 */
function bumpStatement(dialect: SqlDialect, table: string, key: Record<string, string | number>, add: Counters): Statement {
  const keys = Object.keys(key);
  const cols = Object.keys(add);
  const all = [...keys, ...cols];
  const insert = `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`;
  const update = dialect.upsert(keys, Object.fromEntries(cols.map((c) => [c, `${c} + ${dialect.excluded(c)}`])));
  return { sql: insert + update, params: [...Object.values(key), ...Object.values(add)] };
}

/** Adds `add` to the row with `key` (see bumpStatement). */
export async function bump(sql: Sql, table: string, key: Record<string, string | number>, add: Counters): Promise<void> {
  const s = bumpStatement(sql.sqlDialect, table, key, add);
  await sql.run(s.sql, s.params);
}

export interface CreatedErrand {
  communityId: number;
  compoundId: number;
  householdId: number;
  category: ErrandCategory;
  vulnerable: boolean;
  createdAt: number;
}

/**
 * An errand submitted: counted on its day, and its household marked served that day. As statements,
 * so the create sends them in its last packet with the COMMIT: these rows are shared by every
 * create of the community, and their locks are then held for no round trip at all.
 */
export function createdStatements(dialect: SqlDialect, e: CreatedErrand): Statement[] {
  const day = dayOf(e.createdAt);
  const { window, bit } = dayBit(day);
  const mask = 2 ** bit;
  return [
    bumpStatement(
      dialect,
      'stats_category_daily',
      { community_id: e.communityId, day, category: e.category, slot: randomInt(CATEGORY_SLOTS) },
      { created: 1 },
    ),
    bumpStatement(dialect, 'stats_compound_daily', { community_id: e.communityId, day, compound_id: e.compoundId }, { created: 1 }),
    {
      sql: `INSERT INTO stats_household_days (community_id, day_window, household_id, days, vulnerable_days) VALUES (?, ?, ?, ?, ?)${dialect.upsert(
        ['community_id', 'day_window', 'household_id'],
        { days: `days | ${dialect.excluded('days')}`, vulnerable_days: `vulnerable_days | ${dialect.excluded('vulnerable_days')}` },
      )}`,
      params: [e.communityId, window, e.householdId, mask, e.vulnerable ? mask : 0],
    },
  ];
}

const COUNTED: Partial<Record<ErrandStatus, 'completed' | 'cancelled' | 'escalated'>> = {
  completed: 'completed',
  cancelled: 'cancelled',
  escalated: 'escalated',
};

/** What the roll-ups need of an errand that changes status (columns of its row). */
export interface TransitionFacts {
  communityId: number;
  compoundId: number;
  category: ErrandCategory;
  urgency: Urgency;
  vulnerable: boolean;
  helperId: number | null;
  createdAt: number;
  acceptedAt: number | null;
  dueAt: number;
}

/**
 * An errand entered `to` at `now`, as statements. Deliveries also record how long the errand
 * waited for its (last) acceptance and for delivery, whether that was within its tier, and the
 * helper's part; all on the delivery day.
 */
export function transitionStatements(dialect: SqlDialect, f: TransitionFacts, to: ErrandStatus, now: number): Statement[] {
  const counter = COUNTED[to];
  if (!counter && to !== 'delivered') return [];
  const { communityId } = f;
  const compound = { community_id: communityId, day: dayOf(now), compound_id: f.compoundId };
  const category = { community_id: communityId, day: dayOf(now), category: f.category, slot: randomInt(CATEGORY_SLOTS) };
  if (counter) {
    return [
      bumpStatement(dialect, 'stats_category_daily', category, { [counter]: 1 }),
      bumpStatement(dialect, 'stats_compound_daily', compound, { [counter]: 1 }),
    ];
  }
  // The due time set at creation from the configured tiers decides; errands from before the SLA
  // migration (due_at 0) fall back to the default rule.
  const onTime =
    f.dueAt > 0
      ? now <= f.dueAt
      : deliveredWithinTier({
          category: f.category,
          urgency: f.urgency,
          vulnerable: f.vulnerable,
          createdAt: f.createdAt,
          deliveredAt: now,
        });
  const within = onTime ? 1 : 0;
  const latency = (metric: string, helper: number, ms: number) =>
    bumpStatement(
      dialect,
      'stats_latency_daily',
      { community_id: communityId, metric, day: dayOf(now), helper_id: helper, bucket: bucketOf(ms) },
      { n: 1 },
    );
  const out = [
    bumpStatement(dialect, 'stats_category_daily', category, { delivered: 1, delivered_within_tier: within }),
    bumpStatement(dialect, 'stats_compound_daily', compound, { delivered: 1, delivered_within_tier: within }),
  ];
  if (f.acceptedAt !== null) out.push(latency('accept', 0, f.acceptedAt - f.createdAt));
  out.push(latency('deliver', 0, now - f.createdAt));
  if (f.helperId !== null && f.acceptedAt !== null) {
    out.push(latency('helper_deliver', f.helperId, now - f.acceptedAt));
    out.push(
      bumpStatement(
        dialect,
        'stats_helper_daily',
        { community_id: communityId, day: dayOf(now), helper_id: f.helperId },
        { delivered: 1, deliver_ms_sum: now - f.acceptedAt },
      ),
    );
  }
  return out;
}

/** Whether entering `to` is counted at all (saves reading the errand when it is not). */
export const countsTransition = (to: ErrandStatus): boolean => COUNTED[to] !== undefined || to === 'delivered';

/** A household thanked the helper (rated the errand), counted on the day of the rating. */
export async function countThanks(sql: Sql, t: { communityId: number; helperId: number; stars: number; at: number }): Promise<void> {
  await bump(
    sql,
    'stats_helper_daily',
    { community_id: t.communityId, day: dayOf(t.at), helper_id: t.helperId },
    { thanks: 1, stars_sum: t.stars },
  );
}

/** A closed duty spell [from, to), split over the days it covered. */
export async function countDuty(sql: Sql, d: { communityId: number; helperId: number; from: number; to: number }): Promise<void> {
  for (const part of splitByDay(d.from, d.to)) {
    await bump(sql, 'stats_helper_daily', { community_id: d.communityId, day: part.day, helper_id: d.helperId }, { on_duty_ms: part.ms });
  }
}
