import type { z } from 'zod';
import type { QueueEntry, StaffQueue } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { requireStaff, type AuthUser } from '../auth/actor';
import { queueBadges, queuePriority } from '../errands/domain';
import { summary } from '../errands/service';
import { statusCounts } from '../errands/status-counts';
import { findRecords } from '../errands/store';
import { countsByFilter, decodeCursor, encodeCursor, FILTER_STATUSES, type QueueFilter } from './domain';
import { queuePage } from './store';
import { overdueVisitCount } from '../care/store';

export type { QueueFilter } from './domain';

export interface QueuePageRequest {
  filter: QueueFilter;
  cursor?: string;
  limit: number;
}

/** The community staff's live queue: every open errand of their community, most pressing first, a page at a time. */
export class StaffQueueService {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  async queue(actor: AuthUser, req: QueuePageRequest): Promise<z.infer<typeof StaffQueue>> {
    const staff = requireStaff(actor);
    const communityId = staff.staffCommunityId;
    const after = req.cursor === undefined ? null : decodeCursor(req.cursor);
    // One row past the page says whether there is a next one.
    const [rows, byStatus, overdueVisits] = await Promise.all([
      queuePage(this.db, communityId, FILTER_STATUSES[req.filter], after, req.limit + 1),
      statusCounts(this.db, communityId),
      overdueVisitCount(this.db, communityId),
    ]);
    const page = rows.slice(0, req.limit);
    const records = page.length
      ? await findRecords(
          this.db,
          `e.id IN (${page.map(() => '?').join(', ')})`,
          page.map((r) => r.id),
          '',
        )
      : [];
    const byId = new Map(records.map((e) => [e.id, e]));
    const t = this.now();
    const items: z.infer<typeof QueueEntry>[] = [];
    for (const row of page) {
      const e = byId.get(row.id);
      if (!e) continue; // deleted between the two reads: the cursor still moves past it
      items.push({
        ...summary(e, 'staff'),
        priority: queuePriority(e),
        ageSeconds: Math.max(0, Math.floor((t - e.createdAt) / 1000)),
        badges: queueBadges(e),
      });
    }
    return {
      items,
      nextCursor: rows.length > req.limit ? encodeCursor(page[page.length - 1]!.key) : null,
      counts: countsByFilter(byStatus),
      overdueVisits,
    };
  }
}
