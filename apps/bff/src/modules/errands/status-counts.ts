import type { ErrandStatus, SlaTier } from '@linli/contracts';
import { num, type Database } from '../../infra/db/database';
import { countGroupsChangedSince, foldCountGroup, type StatusTierCounts } from './status-count-store';

// Reading the status counts (status-count-store.ts) per status or per tier, and keeping their delta
// rows few.

/** Per status, summed over the tiers in `tiers` (all when undefined). */
export function byStatus(counts: StatusTierCounts, tiers?: readonly SlaTier[]): Partial<Record<ErrandStatus, number>> {
  return Object.fromEntries(
    Object.entries(counts).map(([status, perTier]) => [
      status,
      Object.entries(perTier).reduce((n, [tier, c]) => (tiers === undefined || tiers.includes(tier as SlaTier) ? n + (c ?? 0) : n), 0),
    ]),
  );
}

/** Per tier, summed over the statuses in `statuses`. */
export function byTier(counts: StatusTierCounts, statuses: readonly ErrandStatus[]): Record<SlaTier, number> {
  const out: Record<SlaTier, number> = { red: 0, yellow: 0, blue: 0 };
  for (const status of statuses) for (const [tier, c] of Object.entries(counts[status] ?? {})) out[tier as SlaTier] += c ?? 0;
  return out;
}

/** The name of the lock one instance folds under (dialect namedLock). */
export const FOLDING_LOCK = 'status_count_folding';

/**
 * Folds each community/status group's deltas into one row. Locks only the rows it folds (read
 * committed): status changes keep inserting meanwhile, and never wait for it. One instance folds
 * at a time (a named lock, skipped when taken): two folding different groups at once each scanned
 * into the rows the other held and deadlocked (the open loop with two processes, 2026-11-30).
 */
export class StatusCountCompactor {
  /**
   * Groups with no delta above this id have nothing new to fold. (A delta committed late with a
   * lower id stays unfolded until its group changes again: one more row to sum, no error.)
   */
  private seenThrough = 0;

  constructor(
    private readonly db: Database,
    private readonly maxRowsPerGroup = 1000,
  ) {}

  /**
   * One pass over the groups that changed since the last, in one transaction; returns how many rows
   * it removed. While another instance folds, it folds nothing and leaves the groups for its next pass.
   */
  async compact(): Promise<number> {
    const recent = await countGroupsChangedSince(this.db, this.seenThrough);
    if (recent.length === 0) return 0;
    const removed = await this.db.transaction(
      async (tx) => {
        const lock = tx.sqlDialect.namedLock(FOLDING_LOCK);
        if (lock && num((await tx.one<{ held: unknown }>(lock.take))?.held) !== 1) return null;
        try {
          let n = 0;
          for (const g of recent) n += await foldCountGroup(tx, g, this.maxRowsPerGroup);
          return n;
        } finally {
          if (lock) await tx.run(lock.release);
        }
      },
      { readCommitted: true },
    );
    if (removed === null) return 0;
    this.seenThrough = recent.reduce((top, g) => Math.max(top, g.top), this.seenThrough);
    return removed;
  }
}
