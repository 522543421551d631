import fc from 'fast-check';
import { LiveEvent } from '@linli/contracts';
import type { AuthUser } from '../auth/actor';
import { audienceCondition, audienceOf, canSee, toLiveEvent, viewerKeys, type SequencedEvent } from './domain';

const resident = (userId: number, householdId: number | null): AuthUser => ({
  userId,
  roles: ['resident'],
  staffCommunityId: null,
  overseer: null,
  householdId,
  helperId: null,
  helperCommunityId: null,
  helperVerified: false,
});

const event = (over: Partial<SequencedEvent>): SequencedEvent => ({
  seq: 7,
  type: 'errand.updated',
  communityId: 1,
  errandId: 42,
  errandPublicId: 'pub-42',
  status: 'accepted',
  householdId: null,
  userId: null,
  helperId: null,
  staffCommunityId: null,
  createdAt: 1_800_000_000_000,
  ...over,
});

describe('who sees a live event', () => {
  it('a household sees its errands; a neighbour does not', () => {
    const e = event({ householdId: 5, userId: 9 });
    expect(canSee(resident(9, 5), e)).toBe(true);
    expect(canSee(resident(10, 5), e)).toBe(true); // same household, another phone
    expect(canSee(resident(11, 6), e)).toBe(false);
  });

  it('a helper hears offers only once verified, and staff only as staff of that community', () => {
    const offer = event({ type: 'offer.created', status: null, helperId: 3 });
    const helper: AuthUser = {
      ...resident(20, null),
      roles: ['resident', 'helper'],
      helperId: 3,
      helperCommunityId: 1,
      helperVerified: true,
    };
    expect(canSee(helper, offer)).toBe(true);
    expect(canSee({ ...helper, helperVerified: false }, offer)).toBe(false);
    const queue = event({ type: 'queue.changed', errandId: null, errandPublicId: null, status: null, staffCommunityId: 1 });
    const staff: AuthUser = { ...resident(30, null), roles: ['resident', 'staff'], staffCommunityId: 1 };
    expect(canSee(staff, queue)).toBe(true);
    expect(canSee({ ...staff, staffCommunityId: 2 }, queue)).toBe(false);
    expect(canSee({ ...staff, roles: ['resident'] }, queue)).toBe(false);
  });

  it('an event with no audience reaches nobody', () => {
    expect(audienceOf(event({}))).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }), (userId, householdId) => {
        expect(canSee(resident(userId, householdId), event({}))).toBe(false);
      }),
    );
  });

  it('a viewer sees an event exactly when one of its audience fields is theirs', () => {
    const id = fc.option(fc.integer({ min: 1, max: 4 }), { nil: null });
    fc.assert(
      fc.property(
        id,
        id,
        id,
        id,
        fc.integer({ min: 1, max: 4 }),
        id,
        id,
        id,
        fc.boolean(),
        (hh, u, hp, st, vu, vhh, vhp, vst, verified) => {
          const e = event({ householdId: hh, userId: u, helperId: hp, staffCommunityId: st });
          const viewer: AuthUser = {
            userId: vu,
            roles: ['resident', ...(vhp !== null ? (['helper'] as const) : []), ...(vst !== null ? (['staff'] as const) : [])],
            householdId: vhh,
            helperId: vhp,
            helperCommunityId: vhp === null ? null : 1,
            helperVerified: verified,
            staffCommunityId: vst,
            overseer: null,
          };
          const expected =
            (hh !== null && hh === vhh) || u === vu || (hp !== null && hp === vhp && verified) || (st !== null && st === vst);
          expect(canSee(viewer, e)).toBe(expected);
          expect(viewerKeys(viewer)).toContain(`u:${vu}`);
        },
      ),
    );
  });
});

describe('the replay query', () => {
  it('asks for exactly the columns and ids the viewer listens on', () => {
    const staffHelper: AuthUser = {
      ...resident(20, 5),
      roles: ['resident', 'helper', 'staff'],
      helperId: 3,
      helperCommunityId: 1,
      helperVerified: true,
      staffCommunityId: 1,
    };
    expect(audienceCondition(viewerKeys(staffHelper))).toEqual({
      sql: '(user_id = ? OR household_id = ? OR helper_id = ? OR staff_community_id = ?)',
      params: [20, 5, 3, 1],
    });
    expect(audienceCondition(viewerKeys(resident(9, null)))).toEqual({ sql: '(user_id = ?)', params: [9] });
  });
});

describe('what a client receives', () => {
  it('is a valid contract message with public ids only', () => {
    const updated = toLiveEvent(event({ householdId: 5, userId: 9, helperId: 3 }));
    expect(updated).toEqual({ type: 'errand.updated', id: 7, at: 1_800_000_000_000, errandId: 'pub-42', status: 'accepted' });
    const queue = toLiveEvent(event({ type: 'queue.changed', errandPublicId: null, status: null, staffCommunityId: 1 }));
    expect(queue).toEqual({ type: 'queue.changed', id: 7, at: 1_800_000_000_000, communityId: 1 });
    for (const m of [updated, queue, toLiveEvent(event({ type: 'offer.withdrawn', status: null, helperId: 3 }))]) {
      expect(LiveEvent.parse(m)).toEqual(m);
    }
  });
});
