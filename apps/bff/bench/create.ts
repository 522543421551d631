// Create-errand throughput (validate, persist, match, offer, event) at 50 connections, beside
// two baselines measured in the same run: a bare Fastify hello-world (the framework's ceiling)
// and the very SQL statements one create issues, replayed through a bare mysql2 pool (the
// database's own limit).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/infra/db/orm';
import { seedDemoCommunity } from '../src/modules/demo/seed';
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { addHelpers, REDIS_URL, scratchDatabase, startServer, summarise, table, type ScratchDatabase } from './common';

const CONNECTIONS = 50;
const DURATION_S = 10;
const POOL = 20;
const BODY = JSON.stringify({ category: 'water', items: [{ name: '桶装水 18.9L', quantity: 2 }], notes: '放门口' });

export interface LoadResult {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function cannon(name: string, opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...opts });
  const bad = r.non2xx + r.errors + r.timeouts;
  return { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: bad };
}

/** A database with the demo community and `helpers` extra on-duty helpers answering for its buildings. */
export async function prepareDatabase(label: string, helpers: number): Promise<ScratchDatabase> {
  const scratch = await scratchDatabase(label);
  const db = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: scratch.url } }));
  await seedDemoCommunity(db, Date.now());
  const buildings = (await db.all<{ id: unknown }>('SELECT id FROM buildings ORDER BY id')).map((b) => Number(b.id));
  await db.close();
  // Helpers around the demo compounds (河畔, 5 km across), each taking up to 3 errands at a time.
  if (helpers > 0) await addHelpers(scratch.url, 1, helpers, buildings, { center: { lat: 41.776, lng: 123.432 }, sideKm: 5, capacity: 3 });
  // Errand ids far from helper and user ids, so the replay can tell them apart in parameters.
  const conn = await mysql.createConnection(scratch.url);
  await conn.query('ALTER TABLE errands AUTO_INCREMENT = 10000000');
  await conn.end();
  return scratch;
}

export async function startBff(scratch: ScratchDatabase, extraEnv: Record<string, string> = {}) {
  return startServer(
    ['src/main.ts'],
    {
      LINLI_CONFIG: 'default',
      DATABASE_URL: scratch.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: `linli:bench:${scratch.name}:`,
      PORT: '0',
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'false',
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_LOGIN_PER_MINUTE: '100000000',
      // Load, not abuse: the same residents submit far more than a household's cap of open errands.
      ERRANDS_MAX_OPEN_PER_HOUSEHOLD: '1000000',
      DB_POOL_MAX: String(POOL),
      ...extraEnv,
    },
    /Linli BFF on (http:\/\/[\d.]+:\d+)/,
  );
}

export async function devLogin(baseUrl: string, openid: string, role: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, role }),
  });
  return ((await res.json()) as { token: string }).token;
}

interface Recorded {
  sql: string;
  params: unknown[];
  inTransaction: boolean;
  insertId: number;
}

/** Records every statement of one create, made in-process against the same database. */
async function recordOneCreate(
  scratch: ScratchDatabase,
): Promise<{ statements: Recorded[]; token: string; key: string; publicId: string; errandId: number }> {
  const app = await buildApp({
    config: loadConfig(
      { LINLI_CONFIG: 'test' },
      { db: { url: scratch.url }, redis: { url: REDIS_URL, keyPrefix: `linli:bench:${scratch.name}:` } },
    ),
  });
  try {
    const token = (
      await app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid: 'bench-recorder', role: 'resident' } })
    ).json().token;
    const statements: Recorded[] = [];
    const stop = app.linli.db.observe((sql, params, result, inTransaction) =>
      statements.push({ sql, params, inTransaction, insertId: Number((result as { insertId?: number }).insertId ?? 0) }),
    );
    const key = `bench-record-${randomBytes(6).toString('hex')}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/errands',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json' },
      payload: BODY,
    });
    stop();
    const errand = statements.find((s) => /^\s*INSERT INTO errands/i.test(s.sql))!;
    return { statements, token, key, publicId: res.json().id, errandId: errand.insertId };
  } finally {
    await app.close();
  }
}

/** Replays the recorded statements as fast as a bare mysql2 pool allows, at the same concurrency. */
async function replayRaw(scratch: ScratchDatabase, rec: Awaited<ReturnType<typeof recordOneCreate>>): Promise<LoadResult> {
  const pool = mysql.createPool({ uri: scratch.url, connectionLimit: POOL });
  const latencies: number[] = [];
  let done = 0;
  let seq = 0;
  const deadline = Date.now() + DURATION_S * 1000;
  const once = async () => {
    const n = seq++;
    const fresh = { publicId: randomBytes(16).toString('base64url'), key: `${rec.key}-${n}` };
    const swap = (v: unknown, errandId: number) =>
      v === rec.publicId
        ? fresh.publicId
        : v === rec.key
          ? fresh.key
          : v === rec.errandId
            ? errandId
            : typeof v === 'string' && v.includes(rec.publicId)
              ? v.split(rec.publicId).join(fresh.publicId)
              : v;
    const t0 = performance.now();
    const conn = await pool.getConnection();
    try {
      let errandId = rec.errandId;
      let open = false;
      for (const s of rec.statements) {
        if (s.inTransaction && !open) await conn.query('BEGIN');
        if (!s.inTransaction && open) await conn.query('COMMIT');
        open = s.inTransaction;
        const [result] = await conn.query(
          s.sql,
          s.params.map((v) => swap(v, errandId)),
        );
        if (/^\s*INSERT INTO errands/i.test(s.sql)) errandId = (result as { insertId: number }).insertId;
      }
      if (open) await conn.query('COMMIT');
    } finally {
      conn.release();
    }
    latencies.push(performance.now() - t0);
    done++;
  };
  const worker = async () => {
    while (Date.now() < deadline) await once();
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = (Date.now() - t0) / 1000;
  await pool.end();
  const s = summarise(latencies);
  return { name: 'same SQL, bare mysql2 pool', reqPerSec: done / seconds, p50: s.p50, p99: s.p99, errors: 0 };
}

export async function benchCreate(): Promise<{ results: LoadResult[]; statements: number; report: string }> {
  const scratch = await prepareDatabase('create', 2000);
  const results: LoadResult[] = [];
  let statementCount = 0;
  try {
    const hello = await startServer(['bench/hello-server.ts'], {}, /hello on (http:\/\/[\d.]+:\d+)/);
    try {
      await cannon('warm-up', { url: hello.baseUrl, duration: 2 });
      results.push(await cannon('bare Fastify hello-world', { url: hello.baseUrl }));
    } finally {
      await hello.stop();
    }

    const bff = await startBff(scratch);
    try {
      const tokens: string[] = [];
      for (let i = 0; i < CONNECTIONS; i++) tokens.push(await devLogin(bff.baseUrl, `bench-resident-${i}`, 'resident'));
      let n = 0;
      const request = {
        method: 'POST' as const,
        path: '/api/v1/errands',
        setupRequest: (req: Record<string, unknown>) => {
          n++;
          return {
            ...req,
            body: BODY,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[n % tokens.length]}`,
              'idempotency-key': `bench-${process.pid}-${n}`,
            },
          };
        },
      };
      await cannon('warm-up', { url: bff.baseUrl, duration: 3, requests: [request] });
      results.push(await cannon('create errand (BFF, MySQL + Redis)', { url: bff.baseUrl, requests: [request] }));
    } finally {
      await bff.stop();
    }

    const recorded = await recordOneCreate(scratch);
    statementCount = recorded.statements.length;
    results.push(await replayRaw(scratch, recorded));
  } finally {
    await scratch.drop();
    await deleteKeysWithPrefix(`linli:bench:${scratch.name}:`);
  }
  const raw = results.find((r) => r.name.startsWith('same SQL'))!;
  const report = table(
    ['workload (50 connections, 10 s)', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs raw SQL'],
    results.map((r) => [r.name, r.reqPerSec, r.p50, r.p99, r.errors, `${((r.reqPerSec / raw.reqPerSec) * 100).toFixed(0)}%`]),
  );
  return { results, statements: statementCount, report };
}
