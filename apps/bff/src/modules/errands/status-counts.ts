import type { ErrandStatus, SlaTier } from '@linli/contracts';
import { num, type Database, type Sql, type Statement } from '../../infra/db/database';

// How many errands of a community are in each status, kept exact without counting 100,000 rows
// per staff queue request (about 15 ms on MariaDB). Each status change inserts its deltas in the
// transaction that changes the status, so the counts commit or roll back with it. Insert-only:
// a counter row updated by every transition would serialise a community's transitions on one row
// lock (and deadlock the sweeper's batches). A housekeeping pass folds the deltas into one row per
// community and status.

/**
 * Records errand `errandId` entering `to` (and leaving `from`, unless it was just created), under
 * its 红黄蓝 tier, read from the row itself (the tier never changes after creation).
 */
export function statusChangeStatement(
  errandId: number,
  communityId: number,
  from: ErrandStatus | null,
  to: ErrandStatus,
): Statement | null {
  if (from === to) return null;
  const arm = 'SELECT ?, ?, sla_tier, ? FROM errands WHERE id = ?';
  const rows: [number, ErrandStatus, number, number][] =
    from === null
      ? [[communityId, to, 1, errandId]]
      : [
          [communityId, from, -1, errandId],
          [communityId, to, 1, errandId],
        ];
  return {
    sql: `INSERT INTO errand_status_counts (community_id, status, sla_tier, delta) ${rows.map(() => arm).join(' UNION ALL ')}`,
    params: rows.flat(),
  };
}

export async function countStatusChange(
  sql: Sql,
  errandId: number,
  communityId: number,
  from: ErrandStatus | null,
  to: ErrandStatus,
): Promise<void> {
  const s = statusChangeStatement(errandId, communityId, from, to);
  if (s) await sql.run(s.sql, s.params);
}

/**
 * The deltas of an errand this transaction is creating, whose tier is known: `path` is the
 * statuses it went through, each left as the next is entered (same rows as countStatusChange).
 */
export function newErrandCountsStatement(communityId: number, tier: SlaTier, path: readonly ErrandStatus[]): Statement {
  const rows = path.flatMap((status, i) =>
    i === 0
      ? [[status, 1]]
      : [
          [path[i - 1]!, -1],
          [status, 1],
        ],
  );
  return {
    sql: `INSERT INTO errand_status_counts (community_id, status, sla_tier, delta) VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`,
    params: rows.flatMap(([status, delta]) => [communityId, status, tier, delta]),
  };
}

export type StatusTierCounts = Partial<Record<ErrandStatus, Partial<Record<SlaTier, number>>>>;

/** The number of errands of the community in each status and tier (a consistent snapshot: one statement). */
export async function statusTierCounts(sql: Sql, communityId: number): Promise<StatusTierCounts> {
  const rows = await sql.all<{ status: ErrandStatus; sla_tier: SlaTier; n: unknown }>(
    'SELECT status, sla_tier, SUM(delta) AS n FROM errand_status_counts WHERE community_id = ? GROUP BY status, sla_tier',
    [communityId],
  );
  const out: StatusTierCounts = {};
  for (const r of rows) (out[r.status] ??= {})[r.sla_tier] = num(r.n);
  return out;
}

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

/** The number of errands of the community in each status (a consistent snapshot: one statement). */
export async function statusCounts(sql: Sql, communityId: number): Promise<Partial<Record<ErrandStatus, number>>> {
  return byStatus(await statusTierCounts(sql, communityId));
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
    const recent = await this.db.all<{ community_id: unknown; status: ErrandStatus; sla_tier: SlaTier; top: unknown }>(
      'SELECT community_id, status, sla_tier, MAX(id) AS top FROM errand_status_counts WHERE id > ? GROUP BY community_id, status, sla_tier',
      [this.seenThrough],
    );
    let removed = 0;
    for (const g of recent) removed += await this.fold(num(g.community_id), g.status, g.sla_tier);
    this.seenThrough = recent.reduce((top, g) => Math.max(top, num(g.top)), this.seenThrough);
    return removed;
  }

  private fold(communityId: number, status: ErrandStatus, tier: SlaTier): Promise<number> {
    return this.db.transaction(
      async (tx) => {
        const lock = tx.sqlDialect.forUpdate;
        const rows = await tx.all<{ id: unknown; delta: unknown }>(
          `SELECT id, delta FROM errand_status_counts WHERE community_id = ? AND status = ? AND sla_tier = ? ORDER BY id LIMIT ?${lock}`,
          [communityId, status, tier, this.maxRowsPerGroup],
        );
        if (rows.length < 2) return 0;
        const [keep, ...rest] = rows;
        await tx.run('UPDATE errand_status_counts SET delta = ? WHERE id = ?', [rows.reduce((n, r) => n + num(r.delta), 0), keep!.id]);
        // By primary key, one at a time: only the rows locked above, never a row inserted since.
        for (const r of rest) await tx.run('DELETE FROM errand_status_counts WHERE id = ?', [r.id]);
        return rest.length;
      },
      { readCommitted: true },
    );
  }
}
