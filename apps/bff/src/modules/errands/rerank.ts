import { OPEN_STATUSES, URGENCIES, type LockdownStatus } from '@linli/contracts';
import type { Sql } from '../../infra/db/database';
import { queueRank } from './domain';

// The queue rank of open errands follows their compound's lockdown (errands owns the column).

/**
 * A compound's lockdown changed: its open errands move to their new rank. Reached through the
 * queue index (community and status), so it locks the community's open errands, not the table.
 */
export async function rerankCompound(sql: Sql, communityId: number, compoundId: number, lockdown: LockdownStatus): Promise<void> {
  for (const urgency of URGENCIES) {
    for (const vulnerable of [false, true]) {
      await sql.run(
        `UPDATE errands SET queue_rank = ?
          WHERE community_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) AND compound_id = ? AND urgency = ? AND vulnerable = ?`,
        [queueRank({ urgency, vulnerable, lockdown }), communityId, ...OPEN_STATUSES, compoundId, urgency, vulnerable],
      );
    }
  }
}
