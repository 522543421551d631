import { HouseholdInput, HouseholdView } from './auth';
import { ErrandIdParams, ErrorBody } from './common';
import {
  AssignCandidateList,
  CallerErrandBody,
  HouseholdIdParams,
  HouseholdListQuery,
  HouseholdMatchList,
  HouseholdPage,
  HouseholdSearchQuery,
} from './console';
import { ErrandView, IdempotencyHeaders } from './errands';
import { route } from './route';

/** What the desk console's hotline intake and assign dialog need beyond the staff routes (issue 12). */
export const CONSOLE_ROUTES = {
  searchHouseholds: route({
    method: 'GET',
    path: '/api/v1/staff/households/search',
    summary: 'Find a caller’s household',
    description: 'Households of the staff member’s community matching a name, mobile, its last 4 digits or a door 楼-单元-室.',
    tags: ['staff'],
    querystring: HouseholdSearchQuery,
    response: { 200: HouseholdMatchList, 400: ErrorBody, 403: ErrorBody },
  }),
  listHouseholds: route({
    method: 'GET',
    path: '/api/v1/staff/households',
    summary: 'The household registry, a page at a time',
    description:
      'Every household of the staff member’s community (street and district staff: of their scope, or one community of it, read-only, with names and phones masked) in door order, filtered by the one-box search, compound, building, 重点人群 and 包保; with its 包保 helper, open errands and the exact total.',
    tags: ['staff'],
    querystring: HouseholdListQuery,
    response: { 200: HouseholdPage, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
  }),
  staffRegisterHousehold: route({
    method: 'POST',
    path: '/api/v1/staff/households',
    summary: 'Register a caller’s household',
    description: 'Registers a caller’s household (or returns the one at that door; a different contact becomes a change request). Audited.',
    tags: ['staff'],
    body: HouseholdInput,
    response: { 200: HouseholdView, 400: ErrorBody, 403: ErrorBody, 422: ErrorBody },
  }),
  createErrandForCaller: route({
    method: 'POST',
    path: '/api/v1/staff/households/:id/errands',
    summary: 'Hotline intake: an errand for a household',
    description: 'Creates and dispatches an errand for a household of the staff member’s community (hotline intake). Audited.',
    tags: ['staff'],
    params: HouseholdIdParams,
    headers: IdempotencyHeaders,
    body: CallerErrandBody,
    response: { 201: ErrandView, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
  }),
  errandCandidates: route({
    method: 'GET',
    path: '/api/v1/staff/errands/:id/candidates',
    summary: 'Whom an errand can be assigned to',
    description: 'Candidates for the assign dialog: zone, distance, load and whether they can carry heavy goods.',
    tags: ['staff'],
    params: ErrandIdParams,
    response: { 200: AssignCandidateList, 403: ErrorBody, 404: ErrorBody },
  }),
} as const;
