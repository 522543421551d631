import {
  AssignCandidateList,
  CompoundList,
  ErrandView,
  HouseholdMatchList,
  HouseholdView,
  StaffQueue,
  type CallerErrandBody,
  type HouseholdInput,
} from '@linli/contracts';
import { call } from './client';

/** The hotline desk and the board: typed calls on the BFF's staff routes. */
export const searchHouseholds = (q: string, signal?: AbortSignal) =>
  call('/staff/households/search', HouseholdMatchList, { query: { q }, signal });
export const registerHousehold = (input: HouseholdInput) => call('/staff/households', HouseholdView, { method: 'POST', body: input });
export const createCallerErrand = (householdId: number, body: CallerErrandBody, idempotencyKey: string) =>
  call(`/staff/households/${householdId}/errands`, ErrandView, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } });
export const fetchCompounds = (communityId: number) => call(`/communities/${communityId}/compounds`, CompoundList);
export const fetchQueue = (query: Record<string, string | number | undefined> = {}) => call('/staff/queue', StaffQueue, { query });
export const fetchCandidates = (errandId: string) => call(`/staff/errands/${errandId}/candidates`, AssignCandidateList);
export const assignErrand = (errandId: string, helperId: number, reason: string) =>
  call(`/staff/errands/${errandId}/assign`, ErrandView, { method: 'POST', body: { helperId, reason } });

/** A fresh key per submission attempt: a retried request (double Enter, dropped line) makes one errand. */
export function newIdempotencyKey(): string {
  return `desk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
