import { ERRAND_STATUSES, OPEN_STATUSES, type ErrandStatus, type OversightCommunity } from '@linli/contracts';
import type { z } from 'zod';
import type { StaffQueue } from '@linli/contracts';
import { num, type Database } from '../../infra/db/database';
import type { AuthUser } from '../auth/actor';
import type { QueuePageRequest, StaffQueueService } from '../staff/service';
import { requireScope, resolveScope } from './scope';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

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
    const inIds = placeholders(ids.length);
    // Each count walks an index that starts with community_id: errands (community_id, status),
    // helpers (community_id, on_duty, …), compounds (community_id).
    const [communities, errands, helpers, compounds] = await Promise.all([
      this.db.all(
        `SELECT c.id, c.name, c.street_id, COALESCE(s.name, c.street) AS street_name
           FROM communities c LEFT JOIN streets s ON s.id = c.street_id
          WHERE c.id IN (${inIds}) ORDER BY c.street_id, c.id`,
        ids,
      ),
      this.db.all(
        `SELECT community_id, status, COUNT(*) AS n FROM errands
          WHERE community_id IN (${inIds}) AND status IN (${placeholders(OPEN_STATUSES.length)})
          GROUP BY community_id, status`,
        [...ids, ...OPEN_STATUSES],
      ),
      this.db.all(
        `SELECT community_id, COUNT(*) AS n FROM helpers WHERE community_id IN (${inIds}) AND on_duty = 1 AND verified = 1 GROUP BY community_id`,
        ids,
      ),
      this.db.all(
        `SELECT community_id, lockdown, COUNT(*) AS n FROM compounds WHERE community_id IN (${inIds}) GROUP BY community_id, lockdown`,
        ids,
      ),
    ]);
    return communities.map((c) => {
      const id = num(c.id);
      const openByStatus = Object.fromEntries(ERRAND_STATUSES.map((s) => [s, 0])) as Record<ErrandStatus, number>;
      for (const r of errands) if (num(r.community_id) === id) openByStatus[r.status as ErrandStatus] = num(r.n);
      const lockdown = { total: 0, controlled: 0, closed: 0 };
      for (const r of compounds) {
        if (num(r.community_id) !== id) continue;
        lockdown.total += num(r.n);
        if (r.lockdown === 'controlled' || r.lockdown === 'closed') lockdown[r.lockdown] += num(r.n);
      }
      return {
        id,
        name: String(c.name),
        streetId: c.street_id === null ? null : num(c.street_id),
        streetName: String(c.street_name),
        openByStatus,
        open: OPEN_STATUSES.reduce((sum, s) => sum + openByStatus[s], 0),
        escalated: openByStatus.escalated,
        helpersOnDuty: num(helpers.find((h) => num(h.community_id) === id)?.n ?? 0),
        compounds: lockdown,
      };
    });
  }

  /** One community's live queue, as its staff see it, for anyone whose scope holds it (404 otherwise). */
  async communityQueue(actor: AuthUser, communityId: number, page: QueuePageRequest): Promise<z.infer<typeof StaffQueue>> {
    await requireScope(this.db, actor, communityId);
    // The staff queue answers for the community of the staff member it is given: show it this
    // community, read-only (the result is only returned, never acted on).
    return this.queue.queue({ ...actor, roles: [...actor.roles, 'staff'], staffCommunityId: communityId, overseer: null }, page);
  }
}
