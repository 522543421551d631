import { dayOf, dayStartMs, weekOf } from './domain';
import type { DayRange } from './store';

// Closed weeks of the daily roll-ups, summed once and kept in memory.
//
// A district's 90 days are ~180,000 rows of stats_helper_daily (one per community, day and helper)
// and ~90,000 of stats_compound_daily; grouping them on every request was most of the statistics'
// time (237 ms and 61 ms of a 613 ms p99). A day stops changing once it is over: every roll-up
// write counts on the day the event happens (rollup.ts), except a duty spell, which on closing
// counts on every day it covered — so a helper day is closed only before the earliest open spell
// of the scope's helpers began (the service passes that day in). A whole Monday-to-Sunday week of
// closed days is read once per community, grouped, and kept; a request reads from the database
// only the days around the cached weeks (at most six at each end, plus the open ones).
// Closed weeks never change, so instances need no invalidation between them.

const DAY_MS = 86_400_000;

/** The day `n` days after `day` (yyyymmdd). */
export function addDays(day: number, n: number): number {
  return dayOf(dayStartMs(day) + n * DAY_MS);
}

/** The Mondays of the whole weeks inside [fromDay, toDay] whose Sunday is before `closedBefore`. */
export function closedWeeksIn(fromDay: number, toDay: number, closedBefore: number): number[] {
  const weeks: number[] = [];
  const firstMonday = weekOf(fromDay) === fromDay ? fromDay : addDays(weekOf(fromDay), 7);
  for (let monday = firstMonday; ; monday = addDays(monday, 7)) {
    const sunday = addDays(monday, 6);
    if (sunday > toDay || sunday >= closedBefore) break;
    weeks.push(monday);
  }
  return weeks;
}

/** Grouped rows of one kind for one community and week. */
type Loader<T> = (r: DayRange) => Promise<(T & { communityId: number })[]>;

export class ClosedWeekCache {
  /** Insertion-ordered: the oldest entry goes first when full (a read moves an entry to the end). */
  private readonly entries = new Map<string, readonly unknown[]>();

  /**
   * @param maxEntries community-weeks kept, both kinds together: a district of 50 communities needs
   * 650 a kind for 90 days; an entry is one row per active helper (or compound) of that week, so the
   * bound keeps the cache to a few tens of MB at most.
   */
  constructor(private readonly maxEntries = 1_500) {}

  /**
   * The rows `load` gives for `range`, with its closed whole weeks summed per community and week
   * (from memory when kept) and the other days read as they are. `load` must group by community
   * and by what the caller merges on; rows of different weeks are for the caller to add up.
   */
  async rows<T>(kind: string, range: DayRange, closedBefore: number, load: Loader<T>): Promise<T[]> {
    const weeks = closedWeeksIn(range.fromDay, range.toDay, closedBefore);
    if (weeks.length === 0) return load(range);
    const out: T[] = [];
    const misses: Promise<void>[] = [];
    for (const monday of weeks) {
      const missing: number[] = [];
      for (const communityId of range.communityIds) {
        const kept = this.take(`${kind}:${communityId}:${monday}`);
        if (kept) out.push(...(kept as T[]));
        else missing.push(communityId);
      }
      if (missing.length) misses.push(this.fill(kind, monday, missing, load, out));
    }
    const first = weeks[0]!;
    const afterLast = addDays(weeks[weeks.length - 1]!, 7);
    const edges: DayRange[] = [];
    if (range.fromDay < first) edges.push({ ...range, toDay: addDays(first, -1) });
    if (afterLast <= range.toDay) edges.push({ ...range, fromDay: afterLast });
    const rest = await Promise.all([...edges.map(load), ...misses]);
    for (const rows of rest) if (rows) out.push(...rows);
    return out;
  }

  /** Reads one week of the communities not kept, keeps each community's rows (none is kept too). */
  private async fill<T>(kind: string, monday: number, communityIds: number[], load: Loader<T>, out: T[]): Promise<void> {
    const rows = await load({ communityIds, fromDay: monday, toDay: addDays(monday, 6) });
    const byCommunity = new Map<number, T[]>(communityIds.map((id) => [id, []]));
    for (const row of rows) byCommunity.get(row.communityId)?.push(row);
    for (const [communityId, list] of byCommunity) this.keep(`${kind}:${communityId}:${monday}`, list);
    out.push(...rows);
  }

  private take(key: string): readonly unknown[] | undefined {
    const rows = this.entries.get(key);
    if (rows) {
      this.entries.delete(key);
      this.entries.set(key, rows);
    }
    return rows;
  }

  private keep(key: string, rows: readonly unknown[]): void {
    this.entries.set(key, rows);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Community-weeks kept (for tests). */
  get size(): number {
    return this.entries.size;
  }
}
