import type { AuthUser } from '../auth/actor';
import { scopeOf, staffLevelOf } from './scope';

const person = (over: Partial<AuthUser>): AuthUser => ({
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

describe('scope of a staff member', () => {
  it('community staff act in their one community', () => {
    const staff = person({ roles: ['resident', 'staff'], staffCommunityId: 7 });
    expect(scopeOf(staff, [1, 2, 3])).toEqual({ level: 'community', communityIds: [7], readOnly: false });
  });

  it('street and district staff see the communities below them, read-only', () => {
    const street = person({ roles: ['street_staff'], overseer: { level: 'street', scopeId: 2 } });
    expect(scopeOf(street, [5, 3, 5])).toEqual({ level: 'street', communityIds: [3, 5], readOnly: true });
    const district = person({ roles: ['district_staff'], overseer: { level: 'district', scopeId: 1 } });
    expect(scopeOf(district, [])).toEqual({ level: 'district', communityIds: [], readOnly: true });
  });

  it('residents, helpers and staff without a community have no scope', () => {
    expect(scopeOf(person({}), [1])).toBeNull();
    expect(scopeOf(person({ roles: ['resident', 'helper'], helperId: 3, helperCommunityId: 1 }), [1])).toBeNull();
    expect(staffLevelOf(person({ roles: ['staff'], staffCommunityId: null }))).toBeNull();
  });
});
