import { z } from 'zod';
import { DevLoginBody, HelperProfile, HouseholdInput, HouseholdView, LoginResponse, Me, WechatLoginBody } from './auth';
import { RepeatBody, RepeatIdParams, RepeatList, RepeatView, VisitIdParams, VisitList, VisitOutcomeBody, VisitView } from './care';
import { ErrandIdParams, ErrorBody, Ok } from './common';
import { CallAnswer } from './contact';
import { CreateErrandBody, DeliverBody, ErrandList, ErrandView, OfferList, OptionalReasonBody, RateBody, ReasonBody } from './errands';
import { OversightCommunityList, OversightQueue, ScopeTree } from './oversight';
import { ERRORS, FileBody, route, type ApiRoute } from './route';
import { STAFF_ROUTES } from './routes-staff';
import {
  AuthOptions,
  CommunityIdParams,
  CommunityList,
  CompoundList,
  DutyBody,
  HealthStatus,
  HelperRecord,
  StaffQueueQuery,
} from './staff';

/** The header that makes creating an errand safe to retry. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: '缺少 Idempotency-Key 请求头' })
    .regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Idempotency-Key 须为 8 到 100 位字母、数字或 _.:-'),
});

const byErrand = { params: ErrandIdParams } as const;

/** Everyone's routes: health, login, residents, helpers, oversight. Staff routes are in routes-staff.ts. */
const COMMON_ROUTES = {
  healthz: route({
    method: 'GET',
    path: '/healthz',
    summary: 'The process is alive',
    tags: ['health'],
    public: true,
    response: { 200: HealthStatus },
  }),
  readyz: route({
    method: 'GET',
    path: '/readyz',
    summary: 'The process can serve: the database answers (else 503); a Redis that does not makes it "degraded"',
    tags: ['health'],
    public: true,
    response: { 200: HealthStatus, 503: HealthStatus },
  }),
  metrics: route({
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics (a bearer token of its own when metrics.token is set, not a session)',
    tags: ['health'],
    public: true,
    hidden: true,
    response: { 200: FileBody('Prometheus text format') },
  }),
  live: route({
    method: 'GET',
    path: '/api/v1/ws',
    summary: 'The live channel (WebSocket; protocol in live.ts, session checked on the first message)',
    tags: ['live'],
    public: true,
    hidden: true,
    response: {},
  }),

  authOptions: route({
    method: 'GET',
    path: '/api/v1/auth/options',
    summary: 'Which logins exist and which subscribe-message templates to ask consent for',
    tags: ['auth'],
    public: true,
    response: { 200: AuthOptions },
  }),
  loginWithWechat: route({
    method: 'POST',
    path: '/api/v1/auth/wechat',
    summary: 'Log in with a wx.login code',
    tags: ['auth'],
    public: true,
    body: WechatLoginBody,
    response: { 200: LoginResponse, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
  }),
  loginDev: route({
    method: 'POST',
    path: '/api/v1/auth/dev',
    summary: 'Development only: log in as a demo resident, helper or staff member',
    tags: ['auth'],
    public: true,
    body: DevLoginBody,
    response: { 200: LoginResponse },
  }),
  me: route({ method: 'GET', path: '/api/v1/me', summary: 'The caller', tags: ['auth'], response: { 200: Me } }),
  logout: route({ method: 'POST', path: '/api/v1/auth/logout', summary: 'End this session', tags: ['auth'], response: { 200: Ok } }),

  communities: route({
    method: 'GET',
    path: '/api/v1/communities',
    summary: 'Communities to register in',
    tags: ['community'],
    response: { 200: CommunityList },
  }),
  compounds: route({
    method: 'GET',
    path: '/api/v1/communities/:id/compounds',
    summary: 'Compounds and buildings of a community',
    tags: ['community'],
    params: CommunityIdParams,
    response: { 200: CompoundList },
  }),
  registerHousehold: route({
    method: 'PUT',
    path: '/api/v1/me/household',
    summary: "Register or change the caller's household",
    tags: ['community'],
    body: HouseholdInput,
    response: { 200: HouseholdView, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
  }),

  createErrand: route({
    method: 'POST',
    path: '/api/v1/errands',
    summary: 'Ask for an errand (201; 200 with idempotent-replayed when the key was seen)',
    tags: ['errands'],
    headers: IdempotencyHeaders,
    body: CreateErrandBody,
    response: { 200: ErrandView, 201: ErrandView, ...ERRORS },
  }),
  myErrands: route({
    method: 'GET',
    path: '/api/v1/errands',
    summary: "The caller's errands",
    tags: ['errands'],
    response: { 200: ErrandList },
  }),
  errand: route({
    method: 'GET',
    path: '/api/v1/errands/:id',
    summary: 'One errand, as the caller may see it',
    tags: ['errands'],
    ...byErrand,
    response: { 200: ErrandView, ...ERRORS },
  }),
  cancelErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/cancel',
    summary: 'Cancel (resident or staff)',
    tags: ['errands'],
    ...byErrand,
    body: OptionalReasonBody.nullish(),
    response: { 200: ErrandView, ...ERRORS },
  }),
  confirmErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/confirm',
    summary: 'Confirm receipt',
    tags: ['errands'],
    ...byErrand,
    response: { 200: ErrandView, ...ERRORS },
  }),
  rateErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/rate',
    summary: 'Thank the helper with stars and a word',
    tags: ['errands'],
    ...byErrand,
    body: RateBody,
    response: { 200: ErrandView, ...ERRORS },
  }),
  callErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/call',
    summary: 'A number to reach the other side: its privacy middle number or the community duty phone',
    tags: ['errands'],
    ...byErrand,
    response: { 200: CallAnswer, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
  }),
  repeatErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/repeat',
    summary: 'Ask for this errand again every few days',
    tags: ['errands'],
    ...byErrand,
    body: RepeatBody,
    response: { 201: RepeatView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
  }),
  myRepeats: route({
    method: 'GET',
    path: '/api/v1/me/repeats',
    summary: "The caller's repeated errands",
    tags: ['errands'],
    response: { 200: RepeatList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
  }),
  stopRepeat: route({
    method: 'DELETE',
    path: '/api/v1/me/repeats/:id',
    summary: 'Stop a repeated errand',
    tags: ['errands'],
    params: RepeatIdParams,
    response: { 200: Ok, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
  }),

  setDuty: route({
    method: 'PUT',
    path: '/api/v1/helper/duty',
    summary: 'Go on or off duty (with a position when on)',
    tags: ['helper'],
    body: DutyBody,
    response: { 200: HelperProfile },
  }),
  offers: route({
    method: 'GET',
    path: '/api/v1/helper/offers',
    summary: 'Errands offered to the helper',
    tags: ['helper'],
    response: { 200: OfferList },
  }),
  tasks: route({
    method: 'GET',
    path: '/api/v1/helper/tasks',
    summary: "The helper's errands in hand",
    tags: ['helper'],
    response: { 200: ErrandList },
  }),
  helperRecord: route({
    method: 'GET',
    path: '/api/v1/helper/record',
    summary: "The helper's own record",
    tags: ['helper'],
    response: { 200: HelperRecord },
  }),
  acceptErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/accept',
    summary: 'Accept an offer',
    tags: ['helper'],
    ...byErrand,
    response: { 200: ErrandView, ...ERRORS },
  }),
  declineErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/decline',
    summary: 'Decline an offer',
    tags: ['helper'],
    ...byErrand,
    response: { 200: Ok, ...ERRORS },
  }),
  releaseErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/release',
    summary: 'Give an accepted errand back, with a reason',
    tags: ['helper'],
    ...byErrand,
    body: ReasonBody,
    response: { 200: Ok, ...ERRORS },
  }),
  pickupErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/pickup',
    summary: 'Goods picked up',
    tags: ['helper'],
    ...byErrand,
    response: { 200: ErrandView, ...ERRORS },
  }),
  deliverErrand: route({
    method: 'POST',
    path: '/api/v1/errands/:id/deliver',
    summary: "Delivered, with the resident's handover code",
    tags: ['helper'],
    ...byErrand,
    body: DeliverBody,
    response: { 200: ErrandView, ...ERRORS },
  }),
  visits: route({
    method: 'GET',
    path: '/api/v1/helper/visits',
    summary: "The helper's 包保 visits due",
    tags: ['helper'],
    response: { 200: VisitList, ...ERRORS },
  }),
  recordVisit: route({
    method: 'POST',
    path: '/api/v1/helper/visits/:id',
    summary: 'Record the outcome of a visit',
    tags: ['helper'],
    params: VisitIdParams,
    body: VisitOutcomeBody,
    response: { 200: VisitView, ...ERRORS },
  }),

  oversightScope: route({
    method: 'GET',
    path: '/api/v1/oversight/scope',
    summary: 'Scope tree',
    description: 'The districts, streets and communities the caller may see (community, street or district staff).',
    tags: ['oversight'],
    response: { 200: ScopeTree, 403: ErrorBody },
  }),
  oversightCommunities: route({
    method: 'GET',
    path: '/api/v1/oversight/communities',
    summary: 'Roll-up per community in scope',
    description: 'Roll-up per community in scope: open errands by status, escalated, helpers on duty, compounds closed or controlled.',
    tags: ['oversight'],
    response: { 200: OversightCommunityList, 403: ErrorBody },
  }),
  oversightQueue: route({
    method: 'GET',
    path: '/api/v1/oversight/communities/:id/queue',
    summary: 'Read-only queue of one community in scope',
    description: 'Read-only drill-down: the open errands of one community in scope, most pressing first.',
    tags: ['oversight'],
    params: CommunityIdParams,
    querystring: StaffQueueQuery,
    response: { 200: OversightQueue, 403: ErrorBody, 404: ErrorBody },
  }),
} as const;

/** Every route of the BFF by name. The server registers each (a test checks none is missing either way). */
export const routes = { ...COMMON_ROUTES, ...STAFF_ROUTES } as const satisfies Record<string, ApiRoute>;
export type RouteName = keyof typeof routes;
