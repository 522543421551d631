// Create-errand latency at a fixed arrival rate (open loop), beside the closed-loop capacity it is
// derived from, for one BFF process and for one per core (node:cluster). Closed-loop numbers
// alone flatter latency: a slow server slows its own load. Here requests leave evenly spaced at a
// set rate (bench/paced-load.ts; autocannon's -R sends in bursts, see there) and each latency
// counts from when its request was due, so p99 is what a client arriving on schedule would see.
//
// Request logging stays as the production preset has it (the table says which level): a line per
// request is part of what production pays for a create.
import { spawn } from 'node:child_process';
import os from 'node:os';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { loadConfig } from '../src/config';
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { pacedLoad, type PacedRequest } from './paced-load';
import { BFF_DIR, dispatchOutcomes, MYSQL_URL, searchWideningAt, REDIS_URL, table, type ChildServer, type ScratchDatabase } from './common';
import { BENCH_HELPERS, BENCH_RESIDENTS, devLogin, prepareDatabase } from './create';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARM_UP_S = 3;
const FRACTIONS = [0.25, 0.5, 0.75];
const BODY = JSON.stringify({ category: 'water', items: [{ name: '桶装水 18.9L', quantity: 2 }], notes: '放门口' });

/** The production preset's logging (with stand-in secrets: only `log` is read). */
export function productionLogging(): { level: string; requests: boolean } {
  const { log } = loadConfig({
    LINLI_CONFIG: 'production',
    DATABASE_URL: 'mysql://bench@127.0.0.1/bench',
    REDIS_URL: 'redis://127.0.0.1:6379',
    WECHAT_APP_ID: 'bench',
    WECHAT_APP_SECRET: 'bench',
    METRICS_TOKEN: 'bench-token-bench-token',
  });
  return { level: log.level, requests: log.requests };
}

interface Row {
  processes: number;
  load: string;
  offered: number | null;
  achieved: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * `npm start` as deployed (clustered unless `workers` is 1), resolved once every worker serves.
 * Workers start one after another, so this waits longer than common.ts's startServer; a server
 * that does not come up is killed, not left running.
 */
function startClusteredBff(scratch: ScratchDatabase, workers: number, logging: { level: string; requests: boolean }): Promise<ChildServer> {
  process.stderr.write(`starting the BFF with ${workers} process(es)\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: BFF_DIR,
    env: {
      ...process.env,
      LINLI_CONFIG: 'default',
      CLUSTER_WORKERS: String(workers),
      DATABASE_URL: scratch.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: `linli:bench:${scratch.name}:`,
      PORT: '0',
      STATIC_DIR: '',
      LOG_LEVEL: logging.level,
      LOG_REQUESTS: String(logging.requests),
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_LOGIN_PER_MINUTE: '100000000',
      ERRANDS_MAX_OPEN_PER_HOUSEHOLD: '1000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  let out = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${why}:\n${out}`)));
    };
    const timer = setTimeout(() => fail('the BFF did not start'), workers * 120_000);
    const onData = (d: Buffer) => {
      out += d;
      const addresses = [...out.matchAll(/Linli BFF on (http:\/\/[\d.]+:\d+)/g)];
      if (addresses.length < workers) return;
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      // The log keeps flowing (a line per request): drain it without keeping it, as a log shipper would.
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.removeAllListeners('data');
        stream.resume();
      }
      resolve({ child, baseUrl: addresses[0]![1]!, stop });
    };
    const onExit = (code: number | null) => fail(`the BFF exited with ${code}`);
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

let sent = 0;

export function createRequest(tokens: string[]) {
  // One counter for both: the residents take turns, each request with a new key.
  return (): PacedRequest => {
    const n = sent++;
    return {
      method: 'POST',
      path: '/api/v1/errands',
      body: BODY,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens[n % tokens.length]}`,
        'idempotency-key': `open-loop-${process.pid}-${n}`,
      },
    };
  };
}

/** Closed loop: as many creates as 50 connections get answered. */
async function closedLoad(server: ChildServer, tokens: string[], seconds: number) {
  const next = createRequest(tokens);
  const r = await autocannon({
    url: server.baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'POST', path: '/api/v1/errands', setupRequest: (req) => ({ ...req, ...next() }) }],
  });
  return { achieved: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors + r.timeouts };
}

/** Closed-loop capacity, then open-loop runs at fractions of it, for one process count. */
async function measure(workers: number, logging: { level: string; requests: boolean }): Promise<Row[]> {
  const scratch = await prepareDatabase(`open${workers}`, BENCH_HELPERS);
  const rows: Row[] = [];
  try {
    const server = await startClusteredBff(scratch, workers, logging);
    try {
      const tokens: string[] = [];
      for (let i = 0; i < BENCH_RESIDENTS; i++) tokens.push(await devLogin(server.baseUrl, `bench-open-${i}`, 'resident'));
      await closedLoad(server, tokens, WARM_UP_S);
      const closed = await closedLoad(server, tokens, DURATION_S);
      rows.push({ processes: workers, load: `closed loop, ${CONNECTIONS} connections`, offered: null, ...closed });
      for (const f of FRACTIONS) {
        const rate = Math.max(1, Math.round(closed.achieved * f));
        // Each rate is measured in its own steady state, not in the wake of the run before (the
        // closed loop leaves MariaDB flushing pages and the housekeeping folding its counts for
        // seconds): an unmeasured warm-up at the same rate first.
        await pacedLoad(server.baseUrl, rate, WARM_UP_S, createRequest(tokens));
        const { lateStarts, ...open } = await pacedLoad(server.baseUrl, rate, DURATION_S, createRequest(tokens));
        if (lateStarts > 0) process.stderr.write(`${rate}/s: ${lateStarts} requests left more than 5 ms late\n`);
        rows.push({ processes: workers, load: `open loop, ${f * 100}% of capacity`, offered: rate, ...open });
      }
      process.stderr.write(
        `${workers} process(es): ${(await dispatchOutcomes(scratch.url)).text}; ${await searchWideningAt(server.baseUrl)}\n`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await scratch.drop();
    await deleteKeysWithPrefix(`linli:bench:${scratch.name}:`);
  }
  return rows;
}

export async function benchOpenLoop(): Promise<{ rows: Row[]; report: string }> {
  const logging = productionLogging();
  const cores = os.availableParallelism();
  const rows: Row[] = [];
  for (const workers of [...new Set([1, cores])]) rows.push(...(await measure(workers, logging)));
  const pool = await mysql.createConnection(MYSQL_URL);
  const [[flush]] = (await pool.query('SELECT @@innodb_flush_log_at_trx_commit AS f, @@sync_binlog AS s')) as unknown as [
    [{ f: number; s: number }],
  ];
  await pool.end();
  const byProcesses = (p: number) => rows.find((r) => r.processes === p && r.offered === null)!;
  const head =
    `Request logging: level ${logging.level}, ${logging.requests ? 'one line per request' : 'no request lines'} (production preset), ` +
    `drained through a pipe. MySQL innodb_flush_log_at_trx_commit=${flush.f}, sync_binlog=${flush.s}. ` +
    `${DURATION_S} s per run; open loop: evenly spaced arrivals, latency from each request's due time.`;
  const report = table(
    ['processes', 'load', 'offered req/s', 'achieved req/s', 'p50 ms', 'p99 ms', 'errors'],
    rows.map((r) => [
      String(r.processes),
      r.load,
      r.offered === null ? '—' : String(r.offered),
      r.achieved,
      r.p50,
      r.p99,
      String(r.errors),
    ]),
  );
  const side =
    cores > 1
      ? `\n\nCreate capacity, 1 process vs ${cores}: ${byProcesses(1).achieved.toFixed(0)} vs ${byProcesses(cores).achieved.toFixed(0)} req/s ` +
        `(×${(byProcesses(cores).achieved / byProcesses(1).achieved).toFixed(2)}).`
      : '\n\nOne core: no cluster comparison.';
  return { rows, report: `${head}\n\n${report}${side}` };
}
