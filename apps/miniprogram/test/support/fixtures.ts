import { ErrandView, Me, OfferView, type ErrandStatus, type Role } from '@linli/contracts';
import type { StoredSession } from '../../src/api/session';
import { host } from './taro-fake';

/** The demo community's duty phone (社区值班电话). */
export const DUTY_PHONE = '024-24123560';

/** Fixtures go through the contract schemas, so a contract change breaks them loudly here. */
export function me(overrides: Partial<Me> = {}): Me {
  return Me.parse({
    id: 1,
    name: '王秀兰',
    roles: ['resident'],
    phone: '13800001111',
    communityId: 1,
    household: {
      id: 1,
      communityId: 1,
      communityName: '河畔社区',
      compoundId: 1,
      compoundName: '河畔花园',
      compoundLockdown: 'closed',
      buildingId: 2,
      buildingName: '2号楼',
      hasLift: false,
      unit: '1',
      floor: 6,
      room: '601',
      contactName: '王秀兰',
      phone: '13800001111',
      elderlyAlone: true,
      disabled: false,
      postTreatment: false,
    },
    helper: null,
    community: { id: 1, name: '河畔社区', dutyPhone: DUTY_PHONE },
    ...overrides,
  });
}

export function loggedIn(role: Role = 'resident', user: Me = me({ roles: [role] })): StoredSession {
  const session: StoredSession = { token: 'test-token', expiresAt: '2026-12-28T00:00:00.000Z', user, activeRole: role };
  host.storage.set('linli.session', session);
  return session;
}

export const ERRAND_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function errand(status: ErrandStatus = 'offered', overrides: Partial<ErrandView> = {}): ErrandView {
  const assigned = ['accepted', 'in_progress', 'delivered', 'completed'].includes(status);
  return ErrandView.parse({
    id: ERRAND_ID,
    status,
    category: 'water',
    items: [{ name: '桶装水 18.9L', quantity: 2, unit: '桶' }],
    itemCount: 1,
    heavy: true,
    urgency: 'normal',
    window: null,
    notes: null,
    onBehalf: false,
    vulnerable: true,
    place: { communityId: 1, compoundName: '河畔花园', compoundLockdown: 'closed', buildingName: '2号楼', floor: 6, hasLift: false },
    address: { unit: '1', room: '601', contactName: '王秀兰', phone: '138****1111' },
    helper: assigned ? { id: 7, name: '李卫东', kind: 'household_head', phone: '139****2222' } : null,
    handoverCode: '4821',
    rating: null,
    viewerRole: 'resident',
    createdAt: '2026-11-28T08:00:00.000Z',
    updatedAt: '2026-11-28T08:05:00.000Z',
    timeline: [
      { at: '2026-11-28T08:00:00.000Z', from: null, to: 'pending', actorRole: 'resident', note: null },
      { at: '2026-11-28T08:00:01.000Z', from: 'pending', to: 'offered', actorRole: 'system', note: null },
      ...(assigned ? [{ at: '2026-11-28T08:03:00.000Z', from: 'offered', to: 'accepted', actorRole: 'helper', note: null }] : []),
    ],
    dutyPhone: DUTY_PHONE,
    ...overrides,
  });
}

export function summary(status: ErrandStatus = 'offered', overrides: Partial<ErrandView> = {}) {
  const { timeline: _t, address: _a, handoverCode: _h, ...rest } = errand(status, overrides);
  // 黄: due 24 hours after creation, 20 hours left.
  return {
    ...rest,
    sla: { tier: 'yellow' as const, dueAt: '2026-11-29T08:00:00.000Z', secondsLeft: 20 * 3600, overdue: false, dueSoon: false },
  };
}

/** A staff queue entry: the summary with its place in the queue and the resident as staff see them. */
export function queueEntry(status: ErrandStatus, extra: Record<string, unknown> = {}) {
  return {
    ...summary(status),
    priority: 0,
    ageSeconds: 0,
    badges: [],
    resident: { name: '王桂兰', door: '2号楼-1-602', phone: '13912345678' },
    ...extra,
  };
}

export function offer(overrides: Partial<OfferView> = {}): OfferView {
  return OfferView.parse({
    errandId: ERRAND_ID,
    category: 'water',
    itemCount: 1,
    heavy: true,
    urgency: 'urgent',
    window: null,
    place: { communityId: 1, compoundName: '河畔花园', compoundLockdown: 'closed', buildingName: '2号楼', floor: 6, hasLift: false },
    distanceMeters: 180,
    expiresAt: '2026-11-28T08:03:00.000Z',
    distanceFrom: 'here',
    ...overrides,
  });
}
