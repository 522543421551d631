import { OPEN_STATUSES, routes, type CallerErrandBody, type HouseholdInput } from '@linli/contracts';
import { callRoute } from './client';

/** The hotline desk and the board: calls on the BFF's staff routes, each through the contracts route table. */
export const searchHouseholds = (q: string, signal?: AbortSignal) => callRoute(routes.searchHouseholds, { query: { q }, signal });
export const registerHousehold = (input: HouseholdInput) => callRoute(routes.staffRegisterHousehold, { body: input });
export const createCallerErrand = (householdId: number, body: CallerErrandBody, idempotencyKey: string) =>
  callRoute(routes.createErrandForCaller, { params: { id: householdId }, body, headers: { 'idempotency-key': idempotencyKey } });
export const fetchCompounds = (communityId: number) => callRoute(routes.compounds, { params: { id: communityId } });
export const fetchQueue = (query: Record<string, string | number | undefined> = {}) => callRoute(routes.staffQueue, { query });
/** A household's open errands, newest first: what a caller who rings again is likely asking about. */
export const fetchOpenErrandsOf = (householdId: number, signal?: AbortSignal) =>
  callRoute(routes.staffErrands, { query: { householdId, status: OPEN_STATUSES.join(','), limit: 20 }, signal });
export const fetchErrand = (errandId: string, signal?: AbortSignal) => callRoute(routes.errand, { params: { id: errandId }, signal });
export const fetchCandidates = (errandId: string, signal?: AbortSignal) =>
  callRoute(routes.errandCandidates, { params: { id: errandId }, signal });
/** Staff stepping in: cancel with a reason; confirm the delivery for a helper (with a reason) or the receipt for a resident. */
export const cancelErrandAsStaff = (errandId: string, reason: string) =>
  callRoute(routes.cancelErrand, { params: { id: errandId }, body: { reason } });
export const confirmDeliveredForHelper = (errandId: string, reason: string) =>
  callRoute(routes.staffDeliver, { params: { id: errandId }, body: { reason } });
export const confirmReceivedForResident = (errandId: string) => callRoute(routes.confirmErrand, { params: { id: errandId } });
export const assignErrand = (errandId: string, helperId: number, reason: string) =>
  callRoute(routes.assignErrand, { params: { id: errandId }, body: { helperId, reason } });

/** A fresh key per submission attempt: a retried request (double Enter, dropped line) makes one errand. */
export function newIdempotencyKey(): string {
  return `desk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
