import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { routes, type ApiRoute } from '@linli/contracts';
import { DIALECTS, startTestApp, type TestApp } from './support/harness';
import { JUNK_IDS, Rng, mutatedValue, validValue, type Hints, type JsonSchema } from './support/schema-fuzz';
import {
  arrangeErrand,
  mintSession,
  setUpTwoCommunities,
  CALLERS,
  type Caller,
  type ErrandState,
  type World,
} from './support/two-communities';
import { startWechatStandIn, type WechatStandIn } from './support/wechat-stand-in';
import { upload } from './support/lists';

/**
 * Requests generated from the OpenAPI document for every operation, as every kind of caller,
 * valid-ish and broken: no 5xx; every 4xx is `{error:{code,message}}`; a refused request (≥ 400)
 * changes no row of any table.
 *
 * How "no row changed" is checked: requests run one at a time; after each, every table's contents
 * are fingerprinted (MySQL: CHECKSUM TABLE; SQLite: a hash of every row) and compared with the
 * fingerprint before it when the request was refused. No table is excluded: refused requests write
 * nothing anywhere — no session touch, no audit, no outbox row (rate-limit counters live in Redis).
 * After a request that succeeded, the outbox relay and the notification planner that follows it (both
 * write asynchronously after commits) are
 * drained before the next fingerprint, so their writes are not blamed on the next request. One
 * legitimate write by a refused request exists and cannot happen here: a create whose
 * Idempotency-Key record has expired deletes that record before it is refused; this run's clock
 * does not move. On SQLite, total_changes() (rows written on its one connection) skips the
 * fingerprint whenever nothing was written at all.
 *
 * FUZZ_REQUESTS (per dialect, default 3000) and FUZZ_SEED (default 20261129) replay a run.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

interface Operation {
  method: string;
  path: string;
  body?: JsonSchema;
  query: { name: string; schema: JsonSchema; required: boolean }[];
  headers: { name: string; schema: JsonSchema; required: boolean }[];
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content?: Record<string, { schema: JsonSchema }> };
        parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
      }
    >
  >;
}

function operationsOf(doc: OpenApi): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const pick = (where: string) =>
        params.filter((p) => p.in === where).map((p) => ({ name: p.name, schema: p.schema, required: p.required === true }));
      ops.push({
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
        query: pick('query'),
        headers: pick('header'),
      });
    }
  }
  return ops;
}

describe.each(DIALECTS)('fuzzing every OpenAPI operation on %s', (dialect) => {
  let t: TestApp;
  let wechat: WechatStandIn;
  let world: World;

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    t = await startTestApp(dialect, 'fuzz', {
      dispatch: { offersPerRound: 200 },
      wechat: { apiBaseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.secret },
    });
    world = await setUpTwoCommunities(t, 'fuzz');
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  async function tables(): Promise<string[]> {
    const rows =
      dialect === 'mysql'
        ? await t.sql<{ name: string }>(
            'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
          )
        : await t.sql<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    return rows.map((r) => r.name);
  }

  let fingerprintMs = 0;
  async function fingerprint(names: string[]): Promise<Record<string, string>> {
    const t0 = Date.now();
    try {
      return await fingerprintNow(names);
    } finally {
      fingerprintMs += Date.now() - t0;
    }
  }
  /** One concatenation per table, built by the database, hashed here: cheaper than rows as objects. */
  const concatSql = new Map<string, string>();
  async function fingerprintNow(names: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    if (dialect === 'mysql') {
      const rows = await t.sql<{ Table: string; Checksum: unknown }>(`CHECKSUM TABLE ${names.map((n) => '`' + n + '`').join(', ')}`);
      for (const r of rows) out[r.Table.split('.').pop()!] = String(r.Checksum);
      return out;
    }
    for (const name of names) {
      let sql = concatSql.get(name);
      if (!sql) {
        const columns = await t.sql<{ name: string }>(`PRAGMA table_info("${name}")`);
        sql = `SELECT COUNT(*) AS n, group_concat(${columns.map((c) => `quote("${c.name}")`).join(" || ',' || ")}, char(10)) AS rows FROM "${name}"`;
        concatSql.set(name, sql);
      }
      const [r] = await t.sql<{ n: unknown; rows: string | null }>(sql);
      out[name] = `${String(r!.n)}:${createHash('sha1')
        .update(r!.rows ?? '')
        .digest('hex')}`;
    }
    return out;
  }

  /** SQLite counts every row written on its one connection: unchanged means nothing was written at all. */
  async function writesSoFar(): Promise<number | null> {
    if (dialect !== 'sqlite') return null;
    const [r] = await t.sql<{ n: unknown }>('SELECT total_changes() AS n');
    return Number(r!.n);
  }

  // Generous: a loaded 2-core machine may run it three times slower than an idle one.
  it(
    `answers ${REQUESTS} generated requests without a 5xx, with error bodies, changing nothing when refusing (seed ${SEED})`,
    async () => {
      console.log(`fuzz-openapi on ${dialect}: seed ${SEED}, ${REQUESTS} requests (FUZZ_SEED / FUZZ_REQUESTS to replay)`);
      const rng = new Rng(SEED);
      const ops = operationsOf(t.app.swagger() as unknown as OpenApi);
      // Every visible route of the contracts table is fuzzed (and nothing else is documented).
      const visible = (Object.values(routes) as ApiRoute[])
        .filter((r) => !r.hidden)
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
      expect(ops.map((o) => `${o.method} ${o.path}`).sort()).toEqual(visible.sort());

      // Real ids to aim at: errands in every state in both communities, helpers, compounds, buildings.
      const errandIds: string[] = [];
      const codes: string[] = [];
      for (const cast of [world.casts.home, world.casts.peer, world.casts.away]) {
        for (const state of ['offered', 'accepted', 'in_progress', 'delivered', 'completed'] as ErrandState[]) {
          const e = await arrangeErrand(t, cast, state);
          errandIds.push(e.id);
          codes.push(e.code);
        }
      }
      const helperIds = Object.values(world.casts).map((c) => c.helper.user.helper!.id);
      const compoundIds = Object.values(world.casts).map((c) => c.compoundId);
      const buildingIds = Object.values(world.casts).map((c) => c.buildingId);
      const communityIds = Object.values(world.communityIds);
      const householdIds = Object.values(world.casts).map((c) => c.resident.user.household!.id);
      // A care assignment per community, its first visit created, and a repeat per resident.
      const careVisitIds: number[] = [];
      const repeatIds: number[] = [];
      for (const cast of [world.casts.home, world.casts.away]) {
        await cast.staff.put(`/api/v1/staff/care/${cast.resident.user.household!.id}`, {
          helperId: cast.helper.user.helper!.id,
          cadenceDays: 1,
        });
        const repeat = await cast.resident.post(`/api/v1/errands/${errandIds[cast.name === 'home' ? 0 : 10]}/repeat`, { everyDays: 7 });
        repeatIds.push(Number(repeat.json().id));
      }
      await t.sweep();
      for (const r of await t.sql<{ id: unknown }>('SELECT id FROM care_visits')) careVisitIds.push(Number(r.id));
      // Import batches: a clean one and a refused one (with a bad row) per community.
      const batchIds: string[] = [];
      for (const cast of [world.casts.home, world.casts.away]) {
        const [b] = await t.sql<{ name: string }>('SELECT name FROM buildings WHERE id = ?', [cast.buildingId]);
        for (const phone of ['13900000009', '139']) {
          const file = Buffer.from(`楼栋,单元,楼层,房间号,联系人,电话\r\n${b!.name},F,1,101,住户,${phone}\r\n`);
          const res = await upload(t, cast.staff.token, '/api/v1/staff/imports/households', 'fuzz.csv', file);
          batchIds.push(String((res.json() as { batchId: number }).batchId));
        }
      }
      const hints: Hints = {
        helperId: () => rng.pick(helperIds),
        buildingId: () => rng.pick(buildingIds),
        handoverCode: () => rng.pick(codes),
        buildingIds: () => [rng.pick(buildingIds)],
        role: () => rng.pick(['resident', 'helper', 'staff', 'street_staff', 'district_staff']),
        code: () => `ok-fuzz-${rng.int(0, 1e9)}`,
      };
      // Real ids by path; a route with a new kind of id needs a line here.
      const idFor = (path: string): string => {
        if (rng.chance(0.2)) return rng.pick(JUNK_IDS);
        if (path.startsWith('/api/v1/errands') || path.startsWith('/api/v1/staff/errands')) return rng.pick(errandIds);
        if (path.startsWith('/api/v1/staff/helpers')) return String(rng.pick(helperIds));
        if (path.startsWith('/api/v1/staff/compounds')) return String(rng.pick(compoundIds));
        if (path.startsWith('/api/v1/staff/care')) return String(rng.pick(householdIds));
        if (path.startsWith('/api/v1/staff/households')) return String(rng.pick(householdIds));
        if (path.startsWith('/api/v1/helper/visits')) return String(rng.pick(careVisitIds));
        if (path.startsWith('/api/v1/me/repeats')) return String(rng.pick(repeatIds));
        if (path.startsWith('/api/v1/staff/imports')) return rng.pick(batchIds);
        return String(rng.pick(communityIds));
      };

      const names = await tables();
      await new Promise((resolve) => setImmediate(resolve));
      await t.app.linli.relay.runOnce(); // the arranging above left events for the relay
      // The fingerprint before the next request, and (SQLite) the write count it was taken at.
      let before = await fingerprint(names);
      let writesAtBefore = await writesSoFar();
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      const started = Date.now();
      for (let i = 0; i < REQUESTS; i++) {
        const op = rng.pick(ops);
        const caller: Caller = rng.pick(CALLERS);
        const mutate = rng.chance(0.6);
        const url = op.path.replace('{id}', () => idFor(op.path));
        const headers: Record<string, string> = {};
        if (caller !== 'anonymous') {
          let token = world.clients[caller].token;
          // Logging out would end the session the rest of the run uses: log out a session of its own.
          if (op.path === '/api/v1/auth/logout') {
            token = await mintSession(t, world.clients[caller].user.id);
            before = await fingerprint(names);
            writesAtBefore = await writesSoFar();
          }
          headers.authorization = rng.chance(0.03) ? `Bearer ${token.slice(1)}x` : `Bearer ${token}`;
        }
        for (const h of op.headers)
          if (h.required || rng.chance(0.7))
            headers[h.name] = String(mutate && rng.chance(0.3) ? mutatedValue(h.schema, rng) : validValue(h.schema, rng));
        const query = new URLSearchParams();
        for (const q of op.query)
          if (q.required || rng.chance(0.6))
            query.set(q.name, String(mutate && rng.chance(0.5) ? mutatedValue(q.schema, rng) : validValue(q.schema, rng)));
        let payload: string | undefined;
        if (op.body) {
          const value = mutate ? mutatedValue(op.body, rng, hints) : validValue(op.body, rng, hints);
          payload = JSON.stringify(value);
          headers['content-type'] = 'application/json';
          if (mutate) {
            const roll = rng.int(0, 9);
            if (roll === 0) payload = payload.slice(0, Math.max(1, payload.length - 3)); // bad JSON
            if (roll === 1)
              headers['content-type'] = rng.pick([
                'text/plain',
                'application/x-www-form-urlencoded',
                'application/xml',
                'multipart/form-data; boundary=x',
              ]);
            if (roll === 2) payload = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
            if (roll === 3) payload = undefined;
          }
        } else if (mutate && rng.chance(0.2)) {
          headers['content-type'] = 'application/json';
          payload = rng.pick(['{"unexpected":true}', '[', 'null', '"x"']);
        }
        const fullUrl = query.size ? `${url}?${query}` : url;
        const res: LightMyRequestResponse = await t.app.inject({
          method: op.method as 'GET',
          url: fullUrl,
          headers,
          ...(payload === undefined ? {} : { payload }),
        });
        const status = res.statusCode;
        if (Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')) failures.push(`prototype polluted by #${i}`);
        if (failures.length >= 20) break;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const what = () =>
          `#${i} ${caller} ${op.method} ${fullUrl} ${headers['content-type'] ?? ''} ${(payload ?? '').slice(0, 120)} → ${status} ${res.body.slice(0, 160)}`;
        if (status >= 500) failures.push(`5xx: ${what()}`);
        if (status >= 400 && !hasErrorShape(res)) failures.push(`error body: ${what()}`);
        if (status === 201 && op.path === '/api/v1/errands') errandIds.push((res.json() as { id: string }).id);
        // A GET that succeeded is taken to have written nothing: if it had, the next refused request
        // would show the change and fail the run all the same.
        // Exports are the exception: each one writes its audit entry.
        if (status < 400 && op.method === 'GET' && !op.path.startsWith('/api/v1/staff/exports/errands')) continue;
        if (status < 400) {
          await new Promise((resolve) => setImmediate(resolve));
          await t.app.linli.relay.runOnce();
          await t.app.linli.notificationPlanning.runOnce(); // follows the relay: its position moves too
        }
        const writes = await writesSoFar();
        if (writes !== null && writes === writesAtBefore) continue; // SQLite wrote nothing at all
        const after = await fingerprint(names);
        if (status >= 400) {
          const changed = names.filter((n) => after[n] !== before[n]);
          if (changed.length) failures.push(`rows changed in ${changed.join(', ')}: ${what()}`);
        }
        before = after;
        writesAtBefore = writes;
      }
      console.log(
        `fuzz-openapi on ${dialect}: ${REQUESTS} requests in ${Date.now() - started} ms (${fingerprintMs} ms fingerprinting tables); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
      );
      expect(failures).toEqual([]);
      // The run must reach past validation: some requests succeed, some are refused for who or what they touch.
      expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
      expect(statuses.get(404) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(403) ?? 0).toBeGreaterThan(0);
    },
    Math.max(120_000, REQUESTS * 60),
  );
});

function hasErrorShape(res: LightMyRequestResponse): boolean {
  try {
    const body = res.json() as { error?: { code?: unknown; message?: unknown } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string';
  } catch {
    return false;
  }
}
