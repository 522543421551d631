import { ERRAND_STATUSES, OPEN_STATUSES, type ErrandStatus, type OversightCommunity } from '@linli/contracts';
import type { z } from 'zod';
import type { StaffQueue } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { communityPlaces, lockdownCounts } from '../community/store';
import { openErrandCounts } from '../errands/store';
import { helpersOnDutyCounts } from '../helpers/store';
import type { AuthUser } from '../auth/actor';
import type { QueuePageRequest, StaffQueueService } from '../staff/service';
import { resolveScope } from './scope';
import { streetNames } from './store';

/**
 * Roll-ups and drill-downs for street and district staff (community staff see their own one).
 * Read-only by construction: nothing here writes.
 */
export class OversightService {
  constructor(
    private readonly db: Database,
    private readonly queue: StaffQueueService,
  ) {}

  /** Per community in scope: open errands by status, escalations, helpers on duty, compounds closed or controlled. */
  async communities(actor: AuthUser): Promise<OversightCommunity[]> {
    const { communityIds: ids } = await resolveScope(this.db, actor);
    if (ids.length === 0) return [];
    // Each count walks an index that starts with community_id: errands (community_id, status),
    // helpers (community_id, on_duty, …), compounds (community_id).
    const [places, errands, helpersOnDuty, compounds] = await Promise.all([
      communityPlaces(this.db, ids),
      openErrandCounts(this.db, ids, OPEN_STATUSES),
      helpersOnDutyCounts(this.db, ids),
      lockdownCounts(this.db, ids),
    ]);
    const streets = await streetNames(
      this.db,
      places.flatMap((p) => (p.streetId === null ? [] : [p.streetId])),
    );
    // By street (communities not yet placed under one first, as SQL sorts NULL), then id.
    const ordered = [...places].sort((a, b) => (a.streetId ?? -1) - (b.streetId ?? -1) || a.id - b.id);
    return ordered.map((c) => {
      const openByStatus = Object.fromEntries(ERRAND_STATUSES.map((s) => [s, 0])) as Record<ErrandStatus, number>;
      for (const r of errands) if (r.communityId === c.id) openByStatus[r.status] = r.errands;
      const lockdown = { total: 0, controlled: 0, closed: 0 };
      for (const r of compounds) {
        if (r.communityId !== c.id) continue;
        lockdown.total += r.compounds;
        if (r.lockdown === 'controlled' || r.lockdown === 'closed') lockdown[r.lockdown] += r.compounds;
      }
      return {
        id: c.id,
        name: c.name,
        streetId: c.streetId,
        streetName: (c.streetId === null ? undefined : streets.get(c.streetId)) ?? c.streetText,
        openByStatus,
        open: OPEN_STATUSES.reduce((sum, s) => sum + openByStatus[s], 0),
        escalated: openByStatus.escalated,
        helpersOnDuty: helpersOnDuty.get(c.id) ?? 0,
        compounds: lockdown,
      };
    });
  }

  /**
   * One community's live queue, in the staff queue's order, for anyone whose scope holds it (404
   * otherwise): read-only, residents masked for street and district desks, as everywhere they read.
   */
  async communityQueue(actor: AuthUser, communityId: number, page: QueuePageRequest): Promise<z.infer<typeof StaffQueue>> {
    return this.queue.queue(actor, { ...page, communityId });
  }
}
