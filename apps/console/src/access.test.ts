import { accessFor, deskRoleOf, districtStaffAccess, staffAccess, streetStaffAccess } from './access';

describe('access per role', () => {
  it('lets community staff see every working page and press every button', () => {
    const a = staffAccess();
    expect([...a.pages]).toEqual(['board', 'intake', 'registry', 'helpers', 'compounds', 'stats']);
    expect(a.can('assign')).toBe(true);
    expect(a.can('stepIn')).toBe(true);
    expect(a.can('changeLockdown')).toBe(true);
    expect(a.home).toBe('board');
  });

  it.each([streetStaffAccess(), districtStaffAccess()])('keeps $role read-only over roll-ups and statistics', (a) => {
    expect([...a.pages].sort()).toEqual(['oversight', 'stats']);
    expect(a.can('assign')).toBe(false);
    expect(a.can('stepIn')).toBe(false);
    expect(a.can('createForCaller')).toBe(false);
    expect(a.can('changeLockdown')).toBe(false);
    expect(a.can('export')).toBe(true);
    expect(a.home).toBe('oversight');
  });

  it('picks the acting role first and refuses people without a desk role', () => {
    expect(deskRoleOf({ roles: ['resident', 'staff', 'district_staff'] })).toBe('staff');
    expect(deskRoleOf({ roles: ['resident', 'street_staff'] })).toBe('street_staff');
    expect(accessFor({ roles: ['resident', 'helper'] })).toBeNull();
  });
});
