import type { z } from 'zod';
import type { QueueEntry, QUEUE_FILTERS } from '@linli/contracts';
import { requireStaff, type AuthUser } from '../auth/actor';
import { queueBadges, queuePriority, type ErrandRecord } from '../errands/domain';
import { summary, type ErrandService } from '../errands/service';

export type QueueFilter = (typeof QUEUE_FILTERS)[number];

const FILTERS: Record<QueueFilter, (e: ErrandRecord) => boolean> = {
  all: () => true,
  unmatched: (e) => e.status === 'pending',
  offered: (e) => e.status === 'offered',
  escalated: (e) => e.status === 'escalated',
  in_progress: (e) => e.status === 'accepted' || e.status === 'in_progress',
  delivered: (e) => e.status === 'delivered',
};

/** The community staff's live queue: every open errand of their community, most pressing first. */
export class StaffQueueService {
  constructor(
    private readonly errands: ErrandService,
    private readonly now: () => number,
  ) {}

  async queue(actor: AuthUser, filter: QueueFilter): Promise<z.infer<typeof QueueEntry>[]> {
    const staff = requireStaff(actor);
    const t = this.now();
    const open = await this.errands.openErrandsOfCommunity(staff.staffCommunityId);
    return open
      .filter(FILTERS[filter])
      .map((e) => ({
        ...summary(e, 'staff'),
        priority: queuePriority(e, t),
        ageSeconds: Math.max(0, Math.floor((t - e.createdAt) / 1000)),
        badges: queueBadges(e),
      }))
      .sort((a, b) => b.priority - a.priority || a.createdAt.localeCompare(b.createdAt));
  }
}
