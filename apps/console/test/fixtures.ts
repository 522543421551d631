import { AssignCandidate, ErrandView, QueueEntry } from '@linli/contracts';
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

/** One errand as staff see it (GET /errands/:id, or the hotline intake's answer), checked against the contract. */
export function errandView(over: Partial<z.input<typeof ErrandView>> = {}): z.infer<typeof ErrandView> {
  return ErrandView.parse({
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    status: 'offered',
    category: 'vegetables',
    items: [{ name: '青菜', quantity: 2 }],
    itemCount: 1,
    heavy: false,
    urgency: 'normal',
    window: null,
    notes: null,
    onBehalf: true,
    vulnerable: true,
    place: { communityId: 1, compoundName: '河畔花园', compoundLockdown: 'closed', buildingName: '1号楼', floor: 6, hasLift: false },
    address: { unit: '2', room: '602', contactName: '王秀兰', phone: '13812341234' },
    helper: null,
    handoverCode: '4821',
    rating: null,
    viewerRole: 'staff',
    createdAt: '2026-12-01T08:00:00.000Z',
    updatedAt: '2026-12-01T08:00:00.000Z',
    timeline: [{ at: '2026-12-01T08:00:00.000Z', from: null, to: 'pending', actorRole: 'staff', note: '社区代居民下单' }],
    dutyPhone: null,
    ...over,
  });
}

/** One helper as the assign dialog lists them: in zone, near, free, on duty. */
export function assignCandidate(helperId: number, name: string, current = false): AssignCandidate {
  return AssignCandidate.parse({
    helperId,
    name,
    inZone: true,
    distanceM: 120,
    load: 0,
    capacity: 3,
    canCarryHeavy: true,
    onDuty: true,
    current,
  });
}
