import type { ErrandStatus, SlaTier } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
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

/**
 * Folds each community/status group's deltas into one row. Locks only the rows it folds (read
 * committed, by id): status changes keep inserting meanwhile, and never wait for it. Safe with
 * several instances at once: a second one waits for the rows, then finds them gone.
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

  /** One pass over the groups that changed since the last; returns how many rows it removed. */
  async compact(): Promise<number> {
    const recent = await countGroupsChangedSince(this.db, this.seenThrough);
    let removed = 0;
    for (const g of recent)
      removed += await this.db.transaction((tx) => foldCountGroup(tx, g, this.maxRowsPerGroup), { readCommitted: true });
    this.seenThrough = recent.reduce((top, g) => Math.max(top, g.top), this.seenThrough);
    return removed;
  }
}
