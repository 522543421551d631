import { routes, type CreateErrandBody, type HouseholdInput, type LockdownStatus, type Role, type QUEUE_FILTERS } from '@linli/contracts';
import { call } from './transport';

export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/**
 * Every BFF route the app uses, one function each, each a route of the contracts table (its path,
 * method and answer schema come from there; every answer is parsed with it).
 */
export const api = {
  // Login and the person
  authOptions: () => call(routes.authOptions),
  loginWithWechat: (code: string) => call(routes.loginWithWechat, { body: { code } }),
  loginDev: (openid: string, role: Role) => call(routes.loginDev, { body: { openid, role } }),
  logout: () => call(routes.logout),
  me: () => call(routes.me),
  communities: () => call(routes.communities),
  compounds: (communityId: number) => call(routes.compounds, { params: { id: communityId } }),
  registerHousehold: (input: HouseholdInput) => call(routes.registerHousehold, { body: input }),

  // Resident
  createErrand: (body: CreateErrandBody, idempotencyKey: string) =>
    call(routes.createErrand, { body, headers: { 'idempotency-key': idempotencyKey } }),
  myErrands: () => call(routes.myErrands),
  errand: (id: string) => call(routes.errand, { params: { id } }),
  cancel: (id: string, reason?: string) => call(routes.cancelErrand, { params: { id }, body: reason ? { reason } : {} }),
  confirm: (id: string) => call(routes.confirmErrand, { params: { id } }),
  /** A number to reach the other side of an errand: its privacy middle number or the community duty phone. */
  callErrand: (id: string) => call(routes.callErrand, { params: { id } }),
  rate: (id: string, stars: number, comment?: string) =>
    call(routes.rateErrand, { params: { id }, body: comment ? { stars, comment } : { stars } }),

  // Helper
  setDuty: (onDuty: boolean, position?: { lat: number; lng: number }) => call(routes.setDuty, { body: { onDuty, ...position } }),
  offers: () => call(routes.offers),
  tasks: () => call(routes.tasks),
  accept: (id: string) => call(routes.acceptErrand, { params: { id } }),
  decline: (id: string) => call(routes.declineErrand, { params: { id } }),
  release: (id: string, reason: string) => call(routes.releaseErrand, { params: { id }, body: { reason } }),
  pickup: (id: string) => call(routes.pickupErrand, { params: { id } }),
  deliver: (id: string, handoverCode: string, note?: string) =>
    call(routes.deliverErrand, { params: { id }, body: note ? { handoverCode, note } : { handoverCode } }),
  helperRecord: () => call(routes.helperRecord),
  visits: () => call(routes.visits),
  recordVisit: (id: number, outcome: 'safe' | 'needs_help') => call(routes.recordVisit, { params: { id }, body: { outcome } }),

  // Staff
  /** One page of the queue; `cursor` is the previous page's `nextCursor`. */
  queue: (filter: QueueFilter = 'all', cursor?: string) => call(routes.staffQueue, { query: cursor ? { filter, cursor } : { filter } }),
  assign: (id: string, helperId: number, reason?: string) =>
    call(routes.assignErrand, { params: { id }, body: reason ? { helperId, reason } : { helperId } }),
  /** Delivery confirmed for the helper (a locked code entry, a resident who cannot say it), after checking. */
  staffDeliver: (id: string, reason: string) => call(routes.staffDeliver, { params: { id }, body: { reason } }),
  helpers: () => call(routes.staffHelpers),
  verifyHelper: (helperId: number, verified: boolean) => call(routes.verifyHelper, { params: { id: helperId }, body: { verified } }),
  setLockdown: (compoundId: number, lockdown: LockdownStatus) =>
    call(routes.setLockdown, { params: { id: compoundId }, body: { lockdown } }),
};
