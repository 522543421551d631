import {
  AuthOptions,
  CallAnswer,
  CommunityList,
  CompoundList,
  ErrandList,
  ErrandView,
  HelperList,
  HelperProfile,
  HelperRecord,
  HelperSummary,
  HouseholdView,
  LoginResponse,
  Me,
  OfferList,
  Ok,
  StaffQueue,
  VisitList,
  VisitView,
  type CreateErrandBody,
  type HouseholdInput,
  type LockdownStatus,
  type Role,
  type QUEUE_FILTERS,
} from '@linli/contracts';
import { call } from './transport';

export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/** Every BFF route the app uses, one function each; every answer parsed by its contract schema. */
export const api = {
  // Login and the person
  authOptions: () => call('/auth/options', AuthOptions),
  loginWithWechat: (code: string) => call('/auth/wechat', LoginResponse, { method: 'POST', body: { code } }),
  loginDev: (openid: string, role: Role) => call('/auth/dev', LoginResponse, { method: 'POST', body: { openid, role } }),
  logout: () => call('/auth/logout', Ok, { method: 'POST' }),
  me: () => call('/me', Me),
  communities: () => call('/communities', CommunityList),
  compounds: (communityId: number) => call(`/communities/${communityId}/compounds`, CompoundList),
  registerHousehold: (input: HouseholdInput) => call('/me/household', HouseholdView, { method: 'PUT', body: input }),

  // Resident
  createErrand: (body: CreateErrandBody, idempotencyKey: string) =>
    call('/errands', ErrandView, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } }),
  myErrands: () => call('/errands', ErrandList),
  errand: (id: string) => call(`/errands/${id}`, ErrandView),
  cancel: (id: string, reason?: string) => call(`/errands/${id}/cancel`, ErrandView, { method: 'POST', body: reason ? { reason } : {} }),
  confirm: (id: string) => call(`/errands/${id}/confirm`, ErrandView, { method: 'POST' }),
  /** A number to reach the other side of an errand: its privacy middle number or the community duty phone. */
  callErrand: (id: string) => call(`/errands/${id}/call`, CallAnswer, { method: 'POST' }),
  rate: (id: string, stars: number, comment?: string) =>
    call(`/errands/${id}/rate`, ErrandView, { method: 'POST', body: comment ? { stars, comment } : { stars } }),

  // Helper
  setDuty: (onDuty: boolean, position?: { lat: number; lng: number }) =>
    call('/helper/duty', HelperProfile, { method: 'PUT', body: { onDuty, ...position } }),
  offers: () => call('/helper/offers', OfferList),
  tasks: () => call('/helper/tasks', ErrandList),
  accept: (id: string) => call(`/errands/${id}/accept`, ErrandView, { method: 'POST' }),
  decline: (id: string) => call(`/errands/${id}/decline`, Ok, { method: 'POST' }),
  release: (id: string, reason: string) => call(`/errands/${id}/release`, Ok, { method: 'POST', body: { reason } }),
  pickup: (id: string) => call(`/errands/${id}/pickup`, ErrandView, { method: 'POST' }),
  deliver: (id: string, handoverCode: string, note?: string) =>
    call(`/errands/${id}/deliver`, ErrandView, { method: 'POST', body: note ? { handoverCode, note } : { handoverCode } }),
  /** Not in the BFF yet (requested): the helper's own record. */
  helperRecord: () => call('/helper/record', HelperRecord),
  visits: () => call('/helper/visits', VisitList),
  recordVisit: (id: number, outcome: 'safe' | 'needs_help') =>
    call(`/helper/visits/${id}`, VisitView, { method: 'POST', body: { outcome } }),

  // Staff
  /** One page of the queue; `cursor` is the previous page's `nextCursor`. */
  queue: (filter: QueueFilter = 'all', cursor?: string) =>
    call('/staff/queue', StaffQueue, { query: cursor ? { filter, cursor } : { filter } }),
  assign: (id: string, helperId: number, reason?: string) =>
    call(`/staff/errands/${id}/assign`, ErrandView, { method: 'POST', body: reason ? { helperId, reason } : { helperId } }),
  helpers: () => call('/staff/helpers', HelperList),
  verifyHelper: (helperId: number, verified: boolean) =>
    call(`/staff/helpers/${helperId}/verify`, HelperSummary, { method: 'POST', body: { verified } }),
  setLockdown: (compoundId: number, lockdown: LockdownStatus) =>
    call(`/staff/compounds/${compoundId}/lockdown`, Ok, { method: 'PUT', body: { lockdown } }),
};
