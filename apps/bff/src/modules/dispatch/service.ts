import type { ErrandStatus } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import { applyTransition } from '../errands/store';

export interface DispatchableErrand {
  id: number;
  communityId: number;
  buildingId: number;
  requesterId: number;
  status: ErrandStatus;
  version: number;
  dispatchRound: number;
}

/**
 * Offers errands to helpers. This first version offers a pending errand to every verified,
 * on-duty helper whose responsibility zone covers its building (not the requester, nor anyone
 * who already declined or released it). No one available: it stays pending, in the staff queue.
 */
export class DispatchService {
  constructor(
    private readonly offerWindowMs: number,
    private readonly now: () => number,
  ) {}

  /** Runs inside the caller's transaction. Returns how many helpers got an offer. */
  async dispatch(tx: Sql, errand: DispatchableErrand): Promise<number> {
    const helpers = await tx.all<{ id: unknown }>(
      `SELECT h.id FROM helper_zones z JOIN helpers h ON h.id = z.helper_id
        WHERE z.building_id = ? AND h.verified = 1 AND h.on_duty = 1 AND h.user_id <> ?
          AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.errand_id = ? AND o.helper_id = h.id AND o.status IN ('declined', 'accepted'))
        ORDER BY h.id`,
      [errand.buildingId, errand.requesterId, errand.id],
    );
    if (helpers.length === 0) return 0;
    const t = this.now();
    const round = errand.dispatchRound + 1;
    const rows = helpers.map((h) => [errand.id, num(h.id), errand.communityId, round, 'open', t, t + this.offerWindowMs]);
    await tx.run(
      `INSERT INTO offers (errand_id, helper_id, community_id, round, status, created_at, expires_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
    await applyTransition(tx, {
      errand,
      step: 'offer',
      actor: { userId: null, role: 'system' },
      set: { dispatch_round: round },
      note: `已通知${helpers.length}位责任区接单人`,
      now: t,
    });
    return helpers.length;
  }
}
