import { QueueEntry } from '@linli/contracts';
import type { z } from 'zod';

/** One open errand as /staff/queue and /staff/errands answer it, checked against the contract. */
export function queueEntry(n: number, over: Partial<z.input<typeof QueueEntry>> = {}): z.infer<typeof QueueEntry> {
  const created = new Date(Date.now() - n * 600_000).toISOString();
  return QueueEntry.parse({
    id: `E${String(n).padStart(6, '0')}`,
    status: 'pending',
    category: 'grain_oil',
    items: [{ name: '大米', quantity: 1, unit: '袋' }],
    itemCount: 1,
    heavy: false,
    urgency: 'normal',
    window: null,
    notes: null,
    onBehalf: false,
    vulnerable: false,
    place: { communityId: 1, compoundName: '河畔花园', compoundLockdown: 'normal', buildingName: '3号楼', floor: 6, hasLift: false },
    helper: null,
    rating: null,
    viewerRole: 'staff',
    createdAt: created,
    updatedAt: created,
    dutyPhone: null,
    sla: { tier: 'yellow', dueAt: new Date(Date.now() + 3_600_000).toISOString(), secondsLeft: 3600, overdue: false, dueSoon: false },
    priority: 10,
    ageSeconds: n * 600,
    badges: [],
    resident: { name: `住户${n}`, door: `3-1-${600 + n}`, phone: '13800000000' },
    ...over,
  });
}
