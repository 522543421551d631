import type { LightMyRequestResponse } from 'fastify';
import { DIALECTS, startTestApp, type TestApp } from './support/harness';
import { contractRouteKeys, isFrameworkRoute, routeTable } from './support/route-table';
import { startWechatStandIn, type WechatStandIn } from './support/wechat-stand-in';
import { multipartFile, upload } from './support/lists';
import {
  CALLERS,
  arrangeErrand,
  idempotencyKey,
  mintSession,
  setUpTwoCommunities,
  type Cast,
  type Caller,
  type ErrandState,
  type World,
} from './support/two-communities';

/**
 * Role × route × owner, generated from the contracts route table. Every route must have a line in
 * EXPECTATIONS (a new route without one fails the first test), saying who may call it and, when
 * it acts on an object, which kind — so the matrix can try it on the caller's own object and on
 * someone else's:
 *   anonymous → 401 (unless public); a caller not listed → 403 (or 404 where the route finds the
 *   object first and the caller cannot see it); a listed caller on someone else's object → 404;
 *   a listed caller on their own object → 2xx.
 */

/** What a route acts on; a new kind needs a case in `objectFor` (how to make one for a cast). */
type ObjectKind =
  | `errand:${ErrandState}`
  | 'compound'
  | 'helper'
  | 'community'
  | 'scopedCommunity' // a community seen only within a staff member's scope (another one is someone else's)
  | 'household'
  | 'householdChange'
  | 'careVisit'
  | 'repeat'
  | 'importBatch';
interface Arranged {
  id: string | number;
  code: string;
}
interface Expectation {
  allow: 'public' | readonly Caller[];
  object?: ObjectKind;
  body?: (o: Arranged, cast: Cast) => unknown;
  /** Query parameters (e.g. which building a list is for). */
  query?: (o: Arranged, cast: Cast) => Record<string, string | number>;
  /** Extra request headers (e.g. a fresh Idempotency-Key). */
  headers?: () => Record<string, string>;
  /** The call ends the caller's session: run it on a session of its own. */
  endsSession?: boolean;
  /** Not a JSON route: @fastify/websocket answers a plain (non-upgrade) GET with an empty 404. */
  upgradeOnly?: boolean;
}

let codeSeq = 0;
const SESSIONS: Caller[] = CALLERS.filter((c) => c !== 'anonymous');
const RESIDENTS: Caller[] = SESSIONS; // every caller has a household, so each may act as a resident
const HELPERS: Caller[] = ['helper', 'helperOther'];
const STAFF: Caller[] = ['staff', 'staffOther'];
/** Street and district staff: read-only over the communities of their street or district. */
const OVERSEERS: Caller[] = ['streetStaff', 'streetStaffOther', 'districtStaff', 'districtStaffOther'];
const EVERYONE = 'public' as const;

// One line per route. Lead: add new routes here.
const EXPECTATIONS: Record<string, Expectation> = {
  'GET /healthz': { allow: EVERYONE },
  'GET /readyz': { allow: EVERYONE },
  'GET /metrics': { allow: EVERYONE }, // protected by a bearer token only when metrics.token is set (production)
  'GET /docs': { allow: EVERYONE },
  'GET /docs/': { allow: EVERYONE },
  'GET /docs/static/index.html': { allow: EVERYONE },
  'GET /docs/static/swagger-initializer.js': { allow: EVERYONE },
  'GET /docs/*': { allow: EVERYONE },
  'GET /docs/json': { allow: EVERYONE },
  'GET /docs/yaml': { allow: EVERYONE },
  'GET /api/v1/ws': { allow: EVERYONE, upgradeOnly: true }, // the session is checked in the socket's first message (live.test.ts)
  'GET /api/v1/auth/options': { allow: EVERYONE },
  'POST /api/v1/auth/wechat': { allow: EVERYONE, body: () => ({ code: `ok-matrix-${codeSeq++}` }) },
  // Public; website login is not configured here (404), test/website-login.test.ts covers it configured.
  'GET /api/v1/auth/website/state': { allow: EVERYONE },
  'POST /api/v1/auth/website': { allow: EVERYONE, body: () => ({ code: 'web-matrix', state: 'not-a-signed-state' }) },
  'POST /api/v1/auth/dev': { allow: EVERYONE, body: () => ({ openid: 'matrix-newcomer', role: 'resident' }) },
  'GET /api/v1/me': { allow: SESSIONS },
  'POST /api/v1/auth/logout': { allow: SESSIONS, endsSession: true },
  'GET /api/v1/communities': { allow: SESSIONS },
  'GET /api/v1/communities/:id/compounds': { allow: SESSIONS, object: 'community' }, // served places are public: no owner
  'PUT /api/v1/me/household': { allow: SESSIONS, body: (_o, cast) => householdOf(cast) },
  'PUT /api/v1/staff/compounds/:id/lockdown': { allow: STAFF, object: 'compound', body: () => ({ lockdown: 'normal' }) },
  'GET /api/v1/staff/helpers': { allow: STAFF },
  'POST /api/v1/staff/helpers/:id/verify': { allow: STAFF, object: 'helper', body: () => ({ verified: true }) },
  'PUT /api/v1/staff/helpers/:id/zones': { allow: STAFF, object: 'helper', body: (_o, cast) => ({ buildingIds: [cast.buildingId] }) },
  'GET /api/v1/staff/queue': { allow: [...STAFF, ...OVERSEERS] }, // street and district staff: their scope, read-only
  'GET /api/v1/staff/errands': { allow: [...STAFF, ...OVERSEERS] }, // history and search, same scope
  'POST /api/v1/staff/errands/:id/assign': {
    allow: STAFF,
    object: 'errand:offered',
    body: (_o, cast) => ({ helperId: cast.helper.user.helper!.id }),
  },
  'POST /api/v1/staff/errands/:id/deliver': {
    allow: STAFF,
    object: 'errand:in_progress',
    body: () => ({ reason: '已电话向居民核实收到' }),
  },
  'PUT /api/v1/staff/community': { allow: STAFF, body: () => ({ dutyPhone: '024-24123560' }) },
  'PUT /api/v1/staff/households/:id': { allow: STAFF, object: 'household', body: (_o, cast) => householdOf(cast) },
  'GET /api/v1/staff/households': { allow: [...STAFF, ...OVERSEERS] }, // the whole registry; street and district staff: their scope, masked
  'GET /api/v1/staff/households/search': { allow: STAFF, query: () => ({ q: '1234' }) },
  'POST /api/v1/staff/households': { allow: STAFF, body: (_o, cast) => householdOf(cast) },
  'POST /api/v1/staff/households/:id/errands': {
    allow: STAFF,
    object: 'household',
    body: () => ({ category: 'parcel', items: [{ name: '快递', quantity: 1 }] }),
    headers: () => ({ 'idempotency-key': idempotencyKey() }),
  },
  'GET /api/v1/staff/errands/:id/candidates': { allow: STAFF, object: 'errand:offered' },
  'GET /api/v1/staff/household-changes': { allow: STAFF },
  'POST /api/v1/staff/household-changes/:id': { allow: STAFF, object: 'householdChange', body: () => ({ approve: false }) },
  'GET /api/v1/oversight/scope': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/audit': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/oversight/communities': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/oversight/communities/:id/queue': { allow: [...STAFF, ...OVERSEERS], object: 'scopedCommunity' },
  'GET /api/v1/staff/stats': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/ledger': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/exports/errands.csv': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/exports/errands.xlsx': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/exports/wechat-group.txt': { allow: STAFF, object: 'compound', query: (o) => ({ compoundId: o.id }) },
  'POST /api/v1/staff/imports/households': { allow: STAFF, body: () => HOUSEHOLD_FILE.payload, headers: () => HOUSEHOLD_FILE.headers },
  'POST /api/v1/staff/imports/helpers': { allow: STAFF, body: () => HELPER_FILE.payload, headers: () => HELPER_FILE.headers },
  'GET /api/v1/staff/imports/households/template.xlsx': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/imports/households/template.csv': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/imports/helpers/template.xlsx': { allow: [...STAFF, ...OVERSEERS] },
  'GET /api/v1/staff/imports/helpers/template.csv': { allow: [...STAFF, ...OVERSEERS] },
  'POST /api/v1/staff/imports/:id/commit': { allow: STAFF, object: 'importBatch' },
  'POST /api/v1/errands/:id/call': { allow: ['resident', 'residentOther', ...HELPERS], object: 'errand:accepted' },
  'PUT /api/v1/helper/duty': { allow: HELPERS, body: () => ({ onDuty: true }) },
  'GET /api/v1/helper/offers': { allow: HELPERS },
  'GET /api/v1/helper/tasks': { allow: HELPERS },
  'GET /api/v1/helper/record': { allow: HELPERS },
  'POST /api/v1/errands': {
    allow: RESIDENTS,
    body: () => ({ category: 'parcel', items: [{ name: '快递', quantity: 1 }] }),
    headers: () => ({ 'idempotency-key': idempotencyKey() }),
  },
  'GET /api/v1/errands': { allow: SESSIONS },
  'GET /api/v1/errands/:id': { allow: ['resident', 'residentOther', ...HELPERS, ...STAFF], object: 'errand:offered' },
  'POST /api/v1/errands/:id/cancel': {
    allow: ['resident', 'residentOther', ...STAFF],
    object: 'errand:offered',
    body: () => ({ reason: '不需要了' }),
  },
  'POST /api/v1/errands/:id/confirm': { allow: ['resident', 'residentOther', ...STAFF], object: 'errand:delivered' },
  'POST /api/v1/errands/:id/rate': { allow: ['resident', 'residentOther'], object: 'errand:completed', body: () => ({ stars: 5 }) },
  'POST /api/v1/errands/:id/accept': { allow: HELPERS, object: 'errand:offered' },
  'POST /api/v1/errands/:id/decline': { allow: HELPERS, object: 'errand:offered' },
  'POST /api/v1/errands/:id/release': { allow: HELPERS, object: 'errand:accepted', body: () => ({ reason: '临时有事' }) },
  'POST /api/v1/errands/:id/pickup': { allow: HELPERS, object: 'errand:accepted' },
  'POST /api/v1/errands/:id/deliver': { allow: HELPERS, object: 'errand:in_progress', body: (o) => ({ handoverCode: o.code }) },
  'GET /api/v1/staff/care': { allow: [...STAFF, ...OVERSEERS] },
  'PUT /api/v1/staff/care/:id': {
    allow: STAFF,
    object: 'household',
    body: (_o, cast) => ({ helperId: cast.helper.user.helper!.id, cadenceDays: 7 }),
  },
  'DELETE /api/v1/staff/care/:id': { allow: STAFF, object: 'household' },
  'GET /api/v1/helper/visits': { allow: HELPERS },
  'POST /api/v1/helper/visits/:id': { allow: HELPERS, object: 'careVisit', body: () => ({ outcome: 'safe' }) },
  'POST /api/v1/errands/:id/repeat': { allow: ['resident', 'residentOther'], object: 'errand:offered', body: () => ({ everyDays: 7 }) },
  'GET /api/v1/me/repeats': { allow: SESSIONS },
  'DELETE /api/v1/me/repeats/:id': { allow: ['resident', 'residentOther'], object: 'repeat' },
};

// Any list gets a report (its rows may be wrong): what the matrix checks is who may upload.
const HOUSEHOLD_FILE = multipartFile('住户.csv', Buffer.from('楼栋,单元,楼层,房间号,联系人,电话\r\n3号楼,1,2,201,住户,13900000001\r\n'));
const HELPER_FILE = multipartFile('志愿者.csv', Buffer.from('姓名,电话\r\n李建国,13900000003\r\n'));

/** A clean household list uploaded by the cast's staff: a batch their staff may commit. */
async function arrangeImportBatch(t: TestApp, cast: Cast): Promise<number> {
  const [b] = await t.sql<{ name: string }>('SELECT name FROM buildings WHERE id = ?', [cast.buildingId]);
  const file = Buffer.from(`楼栋,单元,楼层,房间号,联系人,电话\r\n${b!.name},M,1,${101 + codeSeq++},住户,13900000001\r\n`);
  const res = await upload(t, cast.staff.token, '/api/v1/staff/imports/households', 'm.csv', file);
  if (res.statusCode !== 200 || !res.json().committable) throw new Error(`import batch for ${cast.name}: ${res.body}`);
  return Number(res.json().batchId);
}

function hasErrorShape(res: LightMyRequestResponse): boolean {
  try {
    const body = res.json() as { error?: { code?: unknown; message?: unknown } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string';
  } catch {
    return false;
  }
}

/** A pending contact change for the cast's resident's household, as a neighbour's order would leave. */
async function arrangeHouseholdChange(t: TestApp, cast: Cast): Promise<number> {
  const household = cast.resident.user.household!.id;
  await t.sql(
    `INSERT INTO household_change_requests (community_id, household_id, requested_by, contact_name, phone, status, created_at)
     VALUES (?, ?, ?, '邻居', '13900000002', 'pending', ?)`,
    [cast.communityId, household, cast.helper.user.id, Date.now()],
  );
  const [row] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM household_change_requests WHERE household_id = ?', [household]);
  return Number(row!.id);
}

function householdOf(cast: Cast) {
  return { buildingId: cast.buildingId, unit: '1', floor: 2, room: '201', contactName: '住户', phone: '13900000001' };
}

/** A visit the cast's helper owes the cast's resident's household, as the recurrence pass would create it. */
async function arrangeCareVisit(t: TestApp, cast: Cast): Promise<number> {
  const household = cast.resident.user.household!.id;
  const helperId = cast.helper.user.helper!.id;
  const now = Date.now();
  await t.sql(
    `INSERT INTO care_visits (assignment_id, community_id, household_id, helper_id, due_at, status, created_at)
     VALUES (0, ?, ?, ?, ?, 'pending', ?)`,
    [cast.communityId, household, helperId, now + codeSeq++, now],
  );
  const [row] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM care_visits WHERE helper_id = ?', [helperId]);
  return Number(row!.id);
}

/** An active repeat of one of the cast's resident's errands. */
async function arrangeRepeat(t: TestApp, cast: Cast): Promise<number> {
  const { id } = await arrangeErrand(t, cast, 'offered');
  const res = await cast.resident.post(`/api/v1/errands/${id}/repeat`, { everyDays: 7 });
  if (res.statusCode !== 201) throw new Error(`repeat: ${res.statusCode} ${res.body}`);
  return Number(res.json().id);
}

/** Whose objects a caller owns, and whose are someone else's to them. */
const OWN_CAST: Partial<Record<Caller, Cast['name']>> = {
  resident: 'home',
  helper: 'home',
  staff: 'home',
  residentOther: 'away',
  helperOther: 'away',
  staffOther: 'away',
  streetStaff: 'home',
  districtStaff: 'home',
  streetStaffOther: 'away',
  districtStaffOther: 'away',
};
const FOREIGN_CASTS: Partial<Record<Caller, Cast['name'][]>> = {
  resident: ['peer', 'away'],
  helper: ['peer', 'away'],
  staff: ['away'], // staff see everything of their own community
  residentOther: ['home'],
  helperOther: ['home'],
  staffOther: ['home'],
  streetStaff: ['away'],
  districtStaff: ['away'],
  streetStaffOther: ['home'],
  districtStaffOther: ['home'],
};

describe.each(DIALECTS)('authorization matrix on %s: every route × role × owner', (dialect) => {
  let t: TestApp;
  let wechat: WechatStandIn;
  let world: World;
  let routes: string[];
  /** Objects arranged per kind and cast, reused until a call succeeds on them (and so may have changed them). */
  const arranged = new Map<string, Arranged>();

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    t = await startTestApp(dialect, 'authz-matrix', {
      dispatch: { offersPerRound: 200 },
      wechat: { apiBaseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.secret },
    });
    world = await setUpTwoCommunities(t, 'matrix');
    await t.sql('UPDATE communities SET duty_phone = ? WHERE duty_phone IS NULL', ['024-22223333']);
    // The API routes from the contracts table (test/route-table.test.ts checks the app serves exactly
    // those), plus the framework's own (/docs, the static client) as the app serves them.
    routes = [...contractRouteKeys(), ...routeTable(t.app).filter(isFrameworkRoute)].sort();
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  async function objectFor(kind: ObjectKind, cast: Cast): Promise<Arranged> {
    const key = `${kind}:${cast.name}`;
    let o = arranged.get(key);
    if (!o) {
      if (kind === 'compound') o = { id: cast.compoundId, code: '' };
      else if (kind === 'community' || kind === 'scopedCommunity') o = { id: cast.communityId, code: '' };
      else if (kind === 'helper') o = { id: cast.helper.user.helper!.id, code: '' };
      else if (kind === 'household') o = { id: cast.resident.user.household!.id, code: '' };
      else if (kind === 'householdChange') o = { id: await arrangeHouseholdChange(t, cast), code: '' };
      else if (kind === 'careVisit') o = { id: await arrangeCareVisit(t, cast), code: '' };
      else if (kind === 'repeat') o = { id: await arrangeRepeat(t, cast), code: '' };
      else if (kind === 'importBatch') o = { id: await arrangeImportBatch(t, cast), code: '' };
      else o = await arrangeErrand(t, cast, kind.slice('errand:'.length) as ErrandState);
      arranged.set(key, o);
    }
    return o;
  }

  async function call(route: string, caller: Caller, cast: Cast): Promise<{ res: LightMyRequestResponse; key: string | null }> {
    const e = EXPECTATIONS[route]!;
    const [method, path] = route.split(' ') as [string, string];
    const o = e.object ? await objectFor(e.object, cast) : { id: 0, code: '' };
    const query = e.query
      ? `?${new URLSearchParams(Object.entries(e.query(o, cast)).map(([k, v]): [string, string] => [k, String(v)]))}`
      : '';
    const url = path.replace(':id', String(o.id)).replace('*', 'index.html') + query;
    let token = caller === 'anonymous' ? null : world.clients[caller].token;
    if (token && e.endsSession) token = await mintSession(t, world.clients[caller as Exclude<Caller, 'anonymous'>].user.id);
    const body = e.body?.(o, cast);
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(e.headers?.() ?? {}) },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { res, key: e.object && !e.object.startsWith('errand') ? null : `${e.object}:${cast.name}` };
  }

  it('has an expectation for every route the app serves, and no stale ones', () => {
    const missing = routes.filter((r) => !(r in EXPECTATIONS));
    expect({ routesWithoutExpectation: missing }).toEqual({ routesWithoutExpectation: [] });
    expect({ staleExpectations: Object.keys(EXPECTATIONS).filter((r) => !routes.includes(r)) }).toEqual({ staleExpectations: [] });
  });

  it('answers each caller as the table says, on their own object and on anyone else’s', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const e = EXPECTATIONS[route];
      if (!e) continue;
      for (const caller of CALLERS) {
        const allowed = e.allow === 'public' || e.allow.includes(caller);
        const ownCast = world.casts[OWN_CAST[caller] ?? 'home'];
        const { res, key } = await call(route, caller, ownCast);
        checked++;
        const status = res.statusCode;
        const expected =
          e.allow === 'public'
            ? status < 500 && status !== 401 && status !== 403
            : caller === 'anonymous'
              ? status === 401
              : allowed
                ? status >= 200 && status < 300
                : status === 403 || (status === 404 && e.object !== undefined);
        if (!expected) failures.push(`${caller} ${route} (own): ${status} ${res.body.slice(0, 160)}`);
        if (status >= 400 && !e.upgradeOnly && !hasErrorShape(res))
          failures.push(`${caller} ${route}: ${status} without an error body: ${res.body.slice(0, 80)}`);
        if (status < 300 && key && route.split(' ')[0] !== 'GET') arranged.delete(key);

        // Someone else's object: 404 for a caller who may use the route, never a 2xx for anyone.
        if (!e.object || e.object === 'community' || e.allow === 'public') continue;
        for (const foreign of FOREIGN_CASTS[caller] ?? ['home']) {
          const other = await call(route, caller, world.casts[foreign]);
          checked++;
          const s = other.res.statusCode;
          const ok = caller === 'anonymous' ? s === 401 : allowed ? s === 404 : s === 403 || s === 404;
          if (!ok) failures.push(`${caller} ${route} (${foreign}'s): ${s} ${other.res.body.slice(0, 160)}`);
          // A 404 must look like any missing record's: no code that hints the object exists.
          if (s === 404 && (other.res.json() as { error: { code: string } }).error.code !== 'NOT_FOUND') {
            failures.push(`${caller} ${route} (${foreign}'s): 404 with a telling code ${other.res.body.slice(0, 160)}`);
          }
          if (s < 300 && other.key) arranged.delete(other.key);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(routes.length * CALLERS.length);
  }, 180_000);
});
