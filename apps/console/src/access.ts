import type { Me } from '@linli/contracts';

/** The roles that work at the desk; residents and helpers use the mini-program. */
export type DeskRole = 'staff' | 'street_staff' | 'district_staff';

export type PageKey = 'board' | 'intake' | 'registry' | 'helpers' | 'compounds' | 'stats' | 'oversight';

/** Buttons a page shows only when the role may press them (the BFF checks again). */
export type Action =
  | 'assign'
  /** Cancel an errand, or confirm its delivery or receipt for someone who cannot (a locked code, no app). */
  | 'stepIn'
  | 'acknowledgeAlarm'
  | 'createForCaller'
  | 'registerHousehold'
  | 'editRegistry'
  | 'importLists'
  | 'export'
  | 'copyToGroup'
  | 'verifyHelper'
  | 'editZones'
  | 'changeLockdown';

export interface Access {
  role: DeskRole;
  /** Pages in the side menu, and the only ones the router opens. */
  pages: ReadonlySet<PageKey>;
  can(action: Action): boolean;
  /** Where the desk lands after login. */
  home: PageKey;
}

function accessOf(role: DeskRole, pages: PageKey[], actions: Action[], home: PageKey): Access {
  const allowed = new Set(actions);
  return { role, pages: new Set(pages), can: (a) => allowed.has(a), home };
}

/** Community staff (社区) run their community: every page, every button. */
export function staffAccess(): Access {
  return accessOf(
    'staff',
    ['board', 'intake', 'registry', 'helpers', 'compounds', 'stats'],
    [
      'assign',
      'stepIn',
      'acknowledgeAlarm',
      'createForCaller',
      'registerHousehold',
      'editRegistry',
      'importLists',
      'export',
      'copyToGroup',
      'verifyHelper',
      'editZones',
      'changeLockdown',
    ],
    'board',
  );
}

/** Street staff (街道) oversee their communities read-only: roll-ups, statistics, exports. */
export function streetStaffAccess(): Access {
  return accessOf('street_staff', ['oversight', 'stats'], ['export'], 'oversight');
}

/** District staff (区) see every street and community of the district, read-only. */
export function districtStaffAccess(): Access {
  return accessOf('district_staff', ['oversight', 'stats'], ['export'], 'oversight');
}

const BY_ROLE: Record<DeskRole, () => Access> = {
  staff: staffAccess,
  street_staff: streetStaffAccess,
  district_staff: districtStaffAccess,
};

/**
 * The desk role a user works as: community staff first (they act), then the wider read-only scopes.
 * Null for people without a desk role (the login page says so).
 */
export function deskRoleOf(me: Pick<Me, 'roles'>): DeskRole | null {
  const order: DeskRole[] = ['staff', 'street_staff', 'district_staff'];
  return order.find((r) => me.roles.includes(r)) ?? null;
}

export function accessFor(me: Pick<Me, 'roles'>): Access | null {
  const role = deskRoleOf(me);
  return role ? BY_ROLE[role]() : null;
}
