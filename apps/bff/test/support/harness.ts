import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '@linli/contracts';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { ResilientGeoIndex } from '../../src/modules/dispatch/geo-index';
import { randomBytes } from 'node:crypto';
import { JOBS } from '../../src/jobs';
import { createMysqlDatabase, type TestDatabase } from './databases';
import { TEST_REDIS_URL } from './env';
import { deleteKeysWithPrefix } from './redis-keys';

export type Dialect = 'mysql' | 'sqlite';
/** How live events travel: Redis pub/sub (with Redis also for the geo index and rate limits) or in process, without Redis. */
export type Bus = 'redis' | 'in-process';

/** The two independent axes a suite may run on. */
export interface Backend {
  db: Dialect;
  bus: Bus;
}

/** What a bare dialect means: MySQL as deployed (with Redis), SQLite as embedded (without). */
export const defaultBackend = (db: Dialect): Backend => ({ db, bus: db === 'mysql' ? 'redis' : 'in-process' });

/** Every combination, for suites whose subject depends on both (e.g. live events). */
export const BACKENDS: Backend[] = [
  { db: 'mysql', bus: 'redis' },
  { db: 'mysql', bus: 'in-process' },
  { db: 'sqlite', bus: 'redis' },
  { db: 'sqlite', bus: 'in-process' },
];

/** For test names: "mysql + redis". */
export const backendName = (b: Backend): string => `${b.db} + ${b.bus}`;

export interface TestApp {
  app: FastifyInstance;
  dialect: Dialect;
  bus: Bus;
  /** Logs in through dev login and returns a client bound to that session. */
  login(role: Role, openid: string): Promise<Client>;
  /** Moves the app's clock forward (offer windows, retries, auto-confirm). */
  advance(ms: number): void;
  now(): number;
  /** Runs every due deadline and then the sweeper-beat jobs (housekeeping, recurrence), as the timers would next. */
  sweep(): Promise<number>;
  /** Rebuilds the Redis geo index from the database after a test changed helpers by SQL. */
  reindex(): Promise<void>;
  /** Runs SQL directly against the app's database (to arrange or inspect state). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Starts listening on a free port (for WebSocket clients); returns the base URL. */
  listen(): Promise<string>;
  /** A second BFF instance on the same database and Redis prefix, as behind a load balancer. */
  twin(overrides?: Record<string, unknown>): Promise<TestApp>;
  close(): Promise<void>;
}

export interface Client {
  token: string;
  user: { id: number; helper: { id: number } | null; household: { id: number; buildingId: number } | null };
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export function clientFor(app: FastifyInstance, token: string, user: Client['user']): Client {
  const auth = { authorization: `Bearer ${token}` };
  return {
    token,
    user,
    get: (url) => app.inject({ method: 'GET', url, headers: auth }),
    post: (url, body, headers = {}) =>
      app.inject({ method: 'POST', url, headers: { ...auth, ...headers }, ...(body === undefined ? {} : { payload: body as object }) }),
    put: (url, body) => app.inject({ method: 'PUT', url, headers: auth, payload: body as object }),
  };
}

/**
 * Starts the BFF in-process on a fresh database, its own MySQL database or an in-memory SQLite,
 * with live events on Redis or in process (`backend`; a bare dialect takes `defaultBackend`).
 * The demo community is seeded, as `npm start` would.
 */
export async function startTestApp(
  backend: Dialect | Backend,
  label: string,
  overrides: Record<string, unknown> = {},
  shared?: { database: TestDatabase },
): Promise<TestApp> {
  const { db: dialect, bus } = typeof backend === 'string' ? defaultBackend(backend) : backend;
  let database: TestDatabase | null = shared?.database ?? null;
  if (dialect === 'mysql' && !database) database = await createMysqlDatabase(label);
  const ownsDatabase = !shared;
  // A MySQL database's drop() clears its prefix; an SQLite app with Redis clears its own on close.
  const keyPrefix = `linli:test:${database?.name ?? `${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`}:`;
  let offset = 0;
  const now = () => Date.now() + offset;
  let app: FastifyInstance;
  try {
    const config = loadConfig(
      { LINLI_CONFIG: 'test' },
      {
        ...overrides,
        // A test may point Redis elsewhere (a proxy), but its keys keep this run's prefix.
        db: { url: database?.url ?? null, sqlitePath: ':memory:', ...(overrides.db as object) },
        redis: { url: bus === 'redis' ? TEST_REDIS_URL : null, keyPrefix, ...(overrides.redis as object) },
      },
    );
    app = await buildApp({ config, now });
  } catch (err) {
    if (ownsDatabase) await database?.drop(); // a bad override must not leave a database behind
    if (!database && bus === 'redis') await deleteKeysWithPrefix(keyPrefix);
    throw err;
  }
  // SQL by hand goes behind the BFF's back, as an operator's would: callers cached before it are
  // forgotten, as they would be after the cache's TTL.
  const sql = async <T>(query: string, params: unknown[] = []) => {
    const rows = await app.linli.db.all<T>(query, params);
    if (!/^\s*SELECT\b/i.test(query)) app.linli.principals.forget({ kind: 'everyone' });
    return rows;
  };
  return {
    app,
    dialect,
    bus,
    sql,
    now,
    advance: (ms) => void (offset += ms),
    async sweep() {
      const handled = await app.linli.sweeper.runOnce();
      // As before the jobs were split: their failures are logged, not thrown at the sweep.
      await app.linli.jobs.runNow(JOBS.housekeeping).catch(() => undefined);
      await app.linli.jobs.runNow(JOBS.recurrence).catch(() => undefined);
      return handled;
    },
    async reindex() {
      const geo = app.linli.geo;
      if (geo instanceof ResilientGeoIndex) await geo.rebuild();
    },
    async login(role, openid) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid, role } });
      if (res.statusCode !== 200) throw new Error(`dev login failed: ${res.statusCode} ${res.body}`);
      const body = res.json();
      return clientFor(app, body.token, body.user);
    },
    async listen() {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      return address;
    },
    twin(twinOverrides = overrides) {
      if (!database) throw new Error('only MySQL test apps can have a twin');
      return startTestApp({ db: dialect, bus }, label, twinOverrides, { database });
    },
    async close() {
      await app.close();
      if (ownsDatabase) await database?.drop();
      if (!database && bus === 'redis') await deleteKeysWithPrefix(keyPrefix);
    },
  };
}

export const DIALECTS: Dialect[] = ['mysql', 'sqlite'];
