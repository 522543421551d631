import type { AuthUser } from '../auth/actor';
import { handoverCodeFrom, householdIsVulnerable, queueBadges, queuePriority, queueRank, relationTo, type ErrandRecord } from './domain';
import { toErrandView } from './views';

const errand: ErrandRecord = {
  id: 1,
  publicId: 'p'.repeat(22),
  communityId: 7,
  compoundId: 2,
  acceptedAt: null,
  buildingId: 3,
  householdId: 11,
  requesterId: 100,
  onBehalf: false,
  category: 'water',
  items: [{ name: '桶装水', quantity: 2 }],
  heavy: true,
  urgency: 'normal',
  vulnerable: false,
  windowStart: null,
  windowEnd: null,
  notes: null,
  status: 'accepted',
  helperId: 5,
  handoverCode: '0427',
  version: 3,
  dispatchRound: 1,
  ratingStars: null,
  ratingComment: null,
  createdAt: 0,
  updatedAt: 0,
  compoundName: '河畔花园',
  lockdown: 'closed',
  buildingName: '1号楼',
  slaTier: 'yellow',
  dueAt: 86_400_000,
  hasLift: false,
  unit: '2',
  floor: 6,
  room: '602',
  contactName: '王秀兰',
  contactPhone: '13812341234',
  helperName: '李卫东',
  helperPhone: '13801010101',
  helperKind: 'household_head',
  dutyPhone: '024-24123560',
};
const actor = (over: Partial<AuthUser>): AuthUser => ({
  userId: 1,
  roles: ['resident'],
  staffCommunityId: null,
  overseer: null,
  householdId: null,
  helperId: null,
  helperCommunityId: null,
  helperVerified: false,
  ...over,
});

describe('relationTo', () => {
  it('knows the household by requester or by household', () => {
    expect(relationTo(actor({ userId: 100 }), errand, false)).toBe('household');
    expect(relationTo(actor({ householdId: 11 }), errand, false)).toBe('household');
  });
  it('tells apart who ordered for someone else from the household itself', () => {
    const forNeighbour = { ...errand, onBehalf: true };
    expect(relationTo(actor({ userId: 100, householdId: 12 }), forNeighbour, false)).toBe('requester');
    expect(relationTo(actor({ userId: 101, householdId: 11 }), forNeighbour, false)).toBe('household');
  });
  it('puts the assigned helper before any other relation', () => {
    expect(relationTo(actor({ userId: 100, helperId: 5 }), errand, false)).toBe('assigned_helper');
  });
  it('scopes staff to their community', () => {
    expect(relationTo(actor({ staffCommunityId: 7 }), errand, false)).toBe('staff');
    expect(relationTo(actor({ staffCommunityId: 8 }), errand, false)).toBeNull();
  });
  it('lets an offered helper see the errand, and strangers nothing', () => {
    expect(relationTo(actor({ helperId: 6 }), errand, true)).toBe('offered_helper');
    expect(relationTo(actor({ helperId: 6 }), errand, false)).toBeNull();
  });
});

describe('toErrandView', () => {
  it('hides address and code from an offered helper', () => {
    const v = toErrandView(errand, 'offered_helper', []);
    expect(v.address).toBeNull();
    expect(v.handoverCode).toBeNull();
    expect(v.place).toMatchObject({ floor: 6, hasLift: false });
  });
  it('gives the assigned helper the full phone but not the handover code', () => {
    const v = toErrandView(errand, 'assigned_helper', []);
    expect(v.address?.phone).toBe('13812341234');
    expect(v.handoverCode).toBeNull();
  });
  it("shows the household the code and the helper's masked phone", () => {
    const v = toErrandView(errand, 'household', []);
    expect(v.handoverCode).toBe('0427');
    expect(v.helper?.phone).toBe('138****0101');
    expect(v.address?.phone).toBe('138****1234');
  });
  it("shows who ordered for someone else the code, but not the door's registered name and phone", () => {
    const v = toErrandView(errand, 'requester', []);
    expect(v.handoverCode).toBe('0427');
    expect(v.viewerRole).toBe('resident');
    expect(v.address).toEqual({ unit: '2', room: '602', contactName: '王**', phone: '' });
  });
  it('shows staff every phone whole', () => {
    const v = toErrandView(errand, 'staff', []);
    expect(v.helper?.phone).toBe('13801010101');
    expect(v.address?.phone).toBe('13812341234');
  });
});

describe('queue priority', () => {
  const now = 10 * 60_000;
  const base = { urgency: 'normal', vulnerable: false, lockdown: 'normal', status: 'pending', createdAt: now } as const;
  it('puts escalated, then urgent, vulnerable and closed compounds first', () => {
    const escalated = queuePriority({ ...base, status: 'escalated' });
    const urgent = queuePriority({ ...base, urgency: 'urgent' });
    const vulnerable = queuePriority({ ...base, vulnerable: true });
    const closed = queuePriority({ ...base, lockdown: 'closed' });
    const plain = queuePriority(base);
    expect(escalated).toBeGreaterThan(urgent);
    expect(urgent).toBeGreaterThan(vulnerable);
    expect(vulnerable).toBeGreaterThan(closed);
    expect(closed).toBeGreaterThan(plain);
  });
  it('stores a rank that sorts the most pressing need first, ascending', () => {
    const ranks = [
      { ...base, urgency: 'urgent' as const },
      { ...base, vulnerable: true },
      { ...base, lockdown: 'closed' as const },
      base,
    ].map(queueRank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(4);
    expect(Math.min(queueRank({ ...base, urgency: 'urgent', vulnerable: true, lockdown: 'closed' }), ...ranks)).toBeGreaterThanOrEqual(0);
  });
  it('labels the badges staff see', () => {
    expect(queueBadges({ ...base, urgency: 'urgent', vulnerable: true, lockdown: 'closed', status: 'escalated' })).toEqual([
      'escalated',
      'urgent',
      'vulnerable',
      'closed_compound',
    ]);
  });
});

describe('handoverCodeFrom', () => {
  it('always gives four digits', () => {
    expect(handoverCodeFrom(0)).toBe('0000');
    expect(handoverCodeFrom(0.0427)).toBe('0427');
    expect(handoverCodeFrom(0.99999)).toBe('9999');
  });
});

describe('householdIsVulnerable', () => {
  const none = { elderlyAlone: false, disabled: false, postTreatment: false, chronicMedication: false, infants: false, pregnancy: false };
  it('counts chronic medication, infants and pregnancy as well as the older flags, and nothing without a flag', () => {
    expect(householdIsVulnerable(none)).toBe(false);
    for (const flag of Object.keys(none) as (keyof typeof none)[]) {
      expect({ flag, vulnerable: householdIsVulnerable({ ...none, [flag]: true }) }).toEqual({ flag, vulnerable: true });
    }
  });
});
