// Shared pieces of the benchmarks: machine facts, a scratch MySQL database, a city of helpers,
// percentiles and tables. Benchmarks are run by hand (`npm run bench`), never as tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

export const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BFF_DIR = path.resolve(__dirname, '..');

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `linli_bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = await mysql.createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.end();
  return {
    name,
    url: `${MYSQL_URL}/${name}`,
    async drop() {
      const c = await mysql.createConnection(MYSQL_URL);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** Shenyang's centre (GCJ-02) and a deterministic pseudo-random sequence, so runs are comparable. */
export const CITY = { lat: 41.8, lng: 123.43 };
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
/** A point spread uniformly over a square of `sideKm` around the city centre. */
export function cityPoint(random: () => number, sideKm = 20, center = CITY): { lat: number; lng: number } {
  const dLat = (sideKm * 1000) / 111_320;
  const dLng = (sideKm * 1000) / (111_320 * Math.cos((center.lat * Math.PI) / 180));
  return { lat: center.lat + (random() - 0.5) * dLat, lng: center.lng + (random() - 0.5) * dLng };
}

export interface HelperSpread {
  center?: { lat: number; lng: number };
  sideKm?: number;
  capacity?: number;
  seed?: number;
}

/**
 * Adds `count` verified, on-duty helpers spread over the city to community `communityId`, in
 * bulk. As in Shenhe (about 857 zones for 11,000 members), a building's zone has a couple of
 * helpers: the first 2 × buildings helpers get one building each, the rest serve by distance.
 */
export async function addHelpers(
  url: string,
  communityId: number,
  count: number,
  buildingIds: number[],
  spread: HelperSpread = {},
): Promise<void> {
  const random = seededRandom(spread.seed ?? 7);
  const conn = await mysql.createConnection(url);
  try {
    const now = Date.now();
    const [[{ base }]] = (await conn.query('SELECT COALESCE(MAX(id), 0) AS base FROM users')) as unknown as [[{ base: number }]];
    for (let start = 0; start < count; start += 2000) {
      const n = Math.min(2000, count - start);
      const users = Array.from({ length: n }, (_, i) => [`bench-h-${base + start + i}`, '志愿者', '13900000000', 'resident,helper', now]);
      const [res] = (await conn.query('INSERT INTO users (openid, name, phone, roles, created_at) VALUES ?', [users])) as unknown as [
        { insertId: number },
      ];
      const helpers = users.map((_, i) => {
        const p = cityPoint(random, spread.sideKm, spread.center);
        return [
          res.insertId + i,
          communityId,
          'volunteer',
          1,
          1,
          spread.capacity ?? 3,
          1,
          buildingIds[i % buildingIds.length],
          p.lat,
          p.lng,
          now,
          0,
          0,
          0,
          0,
          now,
        ];
      });
      const [hres] = (await conn.query(
        `INSERT INTO helpers (user_id, community_id, kind, verified, on_duty, capacity, can_carry_heavy, home_building_id, lat, lng,
                              on_duty_since, duty_day, duty_minutes_day, rating_sum, rating_count, created_at) VALUES ?`,
        [helpers],
      )) as unknown as [{ insertId: number }];
      const zones = helpers
        .map((h, i) => ({ h, i, nth: start + i }))
        .filter(({ nth }) => nth < 2 * buildingIds.length)
        .map(({ h, i }) => [hres.insertId + i, h[7], communityId]);
      if (zones.length) await conn.query('INSERT IGNORE INTO helper_zones (helper_id, building_id, community_id) VALUES ?', [zones]);
    }
  } finally {
    await conn.end();
  }
}

/**
 * What the creates of a bench run came to: how many made their offers at once and how many found
 * nobody free nearby and wait for a later round. A create that waits skips the offers, events and
 * deadlines of its round, so a run of mostly waiting creates measures a lighter path than a
 * neighbourhood with free helpers sees.
 */
export async function dispatchOutcomes(url: string, what = 'creates'): Promise<{ offered: number; waiting: number; text: string }> {
  const conn = await mysql.createConnection(url);
  try {
    const [rows] = (await conn.query(
      "SELECT SUM(status = 'offered') AS offered, SUM(status = 'pending') AS waiting FROM errands",
    )) as unknown as [{ offered: unknown; waiting: unknown }[]];
    const offered = Number(rows[0]?.offered ?? 0);
    const waiting = Number(rows[0]?.waiting ?? 0);
    const share = offered + waiting > 0 ? ((offered / (offered + waiting)) * 100).toFixed(1) : '0';
    return { offered, waiting, text: `${share} % of ${(offered + waiting).toLocaleString('en')} ${what} made their offers at once` };
  } finally {
    await conn.end();
  }
}

/**
 * How many of the BFF's candidate searches had to look past the nearest dozen because they were
 * busy, from its /metrics text (under `node:cluster`, the count of whichever worker answered).
 */
export function searchWidening(metricsText: string): string {
  const value = (name: string) => new RegExp(`^${name} (\\d+)$`, 'm').exec(metricsText)?.[1] ?? '?';
  return `${value('linli_candidate_searches_widened_total')} of ${value('linli_candidate_searches_total')} candidate searches widened`;
}

/** searchWidening of a running BFF. */
export async function searchWideningAt(baseUrl: string): Promise<string> {
  return searchWidening(await (await fetch(`${baseUrl}/metrics`)).text());
}

/** Adds `count` buildings spread over the city (or `spread`'s square) to the first compound of `communityId`; returns their ids. */
export async function addBuildings(
  url: string,
  communityId: number,
  count: number,
  seed = 3,
  spread: { center?: { lat: number; lng: number }; sideKm?: number } = {},
): Promise<number[]> {
  const random = seededRandom(seed);
  const conn = await mysql.createConnection(url);
  try {
    const [[compound]] = (await conn.query('SELECT id FROM compounds WHERE community_id = ? ORDER BY id LIMIT 1', [
      communityId,
    ])) as unknown as [[{ id: number }]];
    const rows = Array.from({ length: count }, (_, i) => {
      const p = cityPoint(random, spread.sideKm, spread.center);
      return [communityId, compound.id, `B${i}`, 6 + (i % 20), i % 2, p.lat, p.lng];
    });
    const [res] = (await conn.query('INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES ?', [
      rows,
    ])) as unknown as [{ insertId: number }];
    return rows.map((_, i) => res.insertId + i);
  } finally {
    await conn.end();
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarise(samplesMs: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r: (string | number)[]) => `| ${r.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export interface ChildServer {
  child: ChildProcess;
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Whether every worker of a clustered BFF serves: workers start one after another, and a load
 * that began after the first would meet the later ones compiling (seconds of CPU inside the
 * measured run) and its connections would all land on the first.
 */
export function allBffWorkersServe(out: string): boolean {
  const started = [...out.matchAll(/Linli BFF on http\S+ — (?:cluster worker \d+ \((\d+) processes\))?/g)];
  if (started.length === 0) return false;
  const workers = Number(started[0]![1] ?? 1);
  return started.length >= workers;
}

/** Starts a server script (the BFF, or the hello baseline) and waits for the address it logs (and for `ready`, if given). */
export function startServer(
  args: string[],
  env: Record<string, string>,
  pattern: RegExp,
  ready: (out: string) => boolean = () => true,
): Promise<ChildServer> {
  process.stderr.write(`starting ${args.join(' ')}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: BFF_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = pattern.exec(out);
      if (m && ready(out)) {
        clearTimeout(timer);
        // Drain what the server logs from now on without keeping it: kept, every chunk would be
        // appended to and searched with all the rest, costing the load generator more each second.
        for (const stream of [child.stdout!, child.stderr!]) {
          stream.removeListener('data', onData);
          stream.resume();
        }
        resolve({
          child,
          baseUrl: m[1]!,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

/** MariaDB's server-wide counters that say what a workload asked of it (read before and after a run). */
const SERVER_COUNTERS = [
  'Questions',
  'Com_commit',
  'Com_select',
  'Com_insert',
  'Com_update',
  'Com_delete',
  'Innodb_data_fsyncs',
  'Innodb_log_writes',
] as const;
export type ServerCounters = Record<(typeof SERVER_COUNTERS)[number], number>;

export async function serverCounters(url = MYSQL_URL): Promise<ServerCounters> {
  const conn = await mysql.createConnection(url);
  try {
    const [rows] = (await conn.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${SERVER_COUNTERS.map(() => '?').join(', ')})`, [
      ...SERVER_COUNTERS,
    ])) as unknown as [{ Variable_name: string; Value: string }[]];
    const out = Object.fromEntries(SERVER_COUNTERS.map((k) => [k, 0])) as ServerCounters;
    for (const r of rows) out[r.Variable_name as keyof ServerCounters] = Number(r.Value);
    return out;
  } finally {
    await conn.end();
  }
}

/** Per unit of work between two snapshots: "statements 9.1, commits 1.2, …". */
export function countersPer(before: ServerCounters, after: ServerCounters, units: number): string {
  const per = (k: keyof ServerCounters) => ((after[k] - before[k]) / Math.max(1, units)).toFixed(2);
  return `statements ${per('Questions')} (select ${per('Com_select')}, insert ${per('Com_insert')}, update ${per('Com_update')}, delete ${per('Com_delete')}), commits ${per('Com_commit')}, log writes ${per('Innodb_log_writes')}, fsyncs ${per('Innodb_data_fsyncs')}`;
}

interface Usage {
  /** CPU seconds. */
  cpu: number;
  /** read and write system calls (sockets, files, pipes): each one a trip through this VM's kernel. */
  reads: number;
  writes: number;
}

/** CPU time and system calls used so far by a process and its descendants (Linux /proc; 0 where unreadable). */
function usageOfTree(pid: number, withChildren = true): Usage {
  const tick = 100; // USER_HZ on Linux
  const total: Usage = { cpu: 0, reads: 0, writes: 0 };
  const visit = (p: number) => {
    try {
      // Fields after the command name, which may itself hold spaces: utime is the 12th, stime the 13th.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total.cpu += (Number(fields[11]) + Number(fields[12])) / tick;
      const io = readFileSync(`/proc/${p}/io`, 'utf8');
      total.reads += Number(/^syscr: (\d+)/m.exec(io)?.[1] ?? 0);
      total.writes += Number(/^syscw: (\d+)/m.exec(io)?.[1] ?? 0);
      if (!withChildren) return;
      for (const t of readdirSync(`/proc/${p}/task`))
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(c));
    } catch {
      // Gone, or not Linux.
    }
  };
  visit(pid);
  return total;
}

function mariadbPid(): number | null {
  try {
    return Number(readFileSync('/run/mysqld/mysqld.pid', 'utf8').trim());
  } catch {
    return null;
  }
}

/**
 * Starts counting where the CPU goes: the server under test (a child process tree, or none),
 * MariaDB, and this process (the load); and the system calls of the server (or, without one, of
 * this process: the replay's client). The returned function reports per unit of work since.
 */
export function startCpuMeter(serverPid: number | null): (units: number) => string {
  const db = mariadbPid();
  const none: Usage = { cpu: 0, reads: 0, writes: 0 };
  const read = () => ({
    server: serverPid === null ? none : usageOfTree(serverPid),
    db: db === null ? none : usageOfTree(db),
    // Not its children: the server under test is one.
    self: usageOfTree(process.pid, false),
  });
  const before = read();
  return (units: number) => {
    const after = read();
    const per = (k: keyof typeof before, f: keyof Usage, scale: number) =>
      (((after[k][f] - before[k][f]) * scale) / Math.max(1, units)).toFixed(2);
    const caller = serverPid === null ? 'self' : 'server';
    return (
      `CPU ms: ${serverPid === null ? '' : `server ${per('server', 'cpu', 1000)}, `}MariaDB ${per('db', 'cpu', 1000)}, load generator ${per('self', 'cpu', 1000)}; ` +
      `system calls of the ${serverPid === null ? 'replay client' : 'server'}: reads ${per(caller, 'reads', 1)}, writes ${per(caller, 'writes', 1)}`
    );
  };
}
