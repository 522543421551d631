import type { ErrandStatus, SlaTier } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import { compareKeys, tierOf, type QueueKey } from './domain';

// SQL of the staff queue. One status at a time is a range of errands_staff_queue_index
// (community_id, status, queue_rank, created_at, id) read in index order, so a page costs the
// same at the 10th errand and at the 100,000th. A filter spanning several statuses ('all',
// 'in_progress') reads the first rows after the cursor of each status, in one statement, and
// merges them; MySQL cannot read one index range in order across an IN list.

export interface QueueRow {
  id: number;
  status: ErrandStatus;
  key: QueueKey;
}

/**
 * The `limit` errands after `after` (from the start when null) among `statuses`, in queue order;
 * of one 红黄蓝 tier if `tier` is given (then a range of errands_sla_queue_index, same order).
 */
export async function queuePage(
  sql: Sql,
  communityId: number,
  statuses: readonly ErrandStatus[],
  after: QueueKey | null,
  limit: number,
  tier: SlaTier | null = null,
): Promise<QueueRow[]> {
  // Forced on MySQL: with a common tier the optimizer may prefer the wider queue index and filter.
  const from = tier === null ? 'errands' : `errands${sql.sqlDialect.forceIndex('errands_sla_queue_index')}`;
  const tierCondition = tier === null ? '' : ' AND sla_tier = ?';
  const arms: string[] = [];
  const params: unknown[] = [];
  statuses.forEach((status, i) => {
    const statusTier = tierOf(status);
    if (after && statusTier < after[0]) return; // the whole status comes before the cursor
    let keyset = '';
    params.push(communityId, status);
    if (tierCondition) params.push(tier);
    if (after && statusTier === after[0]) {
      keyset = ' AND (queue_rank > ? OR (queue_rank = ? AND (created_at > ? OR (created_at = ? AND id > ?))))';
      params.push(after[1], after[1], after[2], after[2], after[3]);
    }
    params.push(limit);
    arms.push(
      `SELECT * FROM (SELECT id, status, queue_rank, created_at FROM ${from} WHERE community_id = ? AND status = ?${tierCondition}${keyset}
        ORDER BY queue_rank, created_at, id LIMIT ?) s${i}`,
    );
  });
  if (arms.length === 0) return [];
  const rows = await sql.all<{ id: unknown; status: ErrandStatus; queue_rank: unknown; created_at: unknown }>(
    arms.join(' UNION ALL '),
    params,
  );
  return rows
    .map((r) => ({
      id: num(r.id),
      status: r.status,
      key: [tierOf(r.status), num(r.queue_rank), num(r.created_at), num(r.id)] as const,
    }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .slice(0, limit);
}
