import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import type { Config } from './config';

/**
 * One BFF process per core in MySQL mode. The processes share nothing but the database and Redis,
 * exactly like instances behind a load balancer, so everything that already coordinates between
 * instances coordinates between workers too:
 *  - deadline sweeper and recurrence runner claim rows with FOR UPDATE SKIP LOCKED;
 *  - the outbox relay numbers events under the event_sequence row lock, and every gateway hears
 *    every event through Redis pub/sub (and reads what it missed from the table);
 *  - the notification sender takes each message under a lease;
 *  - the retention clean-up is idempotent; rate limits and the geo index live in Redis.
 * So every worker runs all background jobs, as every instance does; none is singled out.
 *
 * The primary only forks and watches: workers start one after another (the first one migrates
 * and seeds an empty database alone), a worker that dies is replaced, and SIGTERM/SIGINT is passed
 * to every worker, each of which shuts down gracefully as a single process would.
 */

export interface ProcessPlan {
  workers: number;
  /** Said at start, so an operator sees why there is one process or several. */
  reason: string;
}

export function planProcesses(config: Config, cores = os.availableParallelism()): ProcessPlan {
  if (!config.db.url) {
    return { workers: 1, reason: 'embedded SQLite: one process (SQLite has a single writer; cluster.workers is ignored)' };
  }
  const workers = config.cluster.workers === 0 ? cores : config.cluster.workers;
  const source = config.cluster.workers === 0 ? `one per core, ${cores} cores` : 'cluster.workers';
  const redisNote = config.redis.url
    ? ''
    : '; without Redis, live events reach sockets on other workers only through the database tail check, rate limits count per worker, and every request reads its session (no caller cache)';
  if (workers === 1) return { workers, reason: `one process (${source})` };
  return { workers, reason: `${workers} worker processes (${source})${redisNote}` };
}

/** After a crash, the replacement waits this long, doubling while crashes keep coming. */
const RESTART_BASE_MS = 250;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long resets the back-off: it was a crash, not a crash loop. */
const STABLE_AFTER_MS = 60_000;
/** Workers still running this long after SIGTERM are killed. */
const SHUTDOWN_GRACE_MS = 20_000;

type Level = 30 | 40 | 50;

/** JSON lines in pino's shape, so the primary's few lines read like the workers' logs. */
function log(level: Level, msg: string, extra: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: Date.now(), pid: process.pid, hostname: os.hostname(), role: 'primary', ...extra, msg });
  (level >= 50 ? process.stderr : process.stdout).write(`${line}\n`);
}

interface Slot {
  worker: Worker | null;
  startedAt: number;
  crashes: number;
}

export function runPrimary(plan: ProcessPlan): void {
  log(30, `cluster primary: starting ${plan.reason}`, { workers: plan.workers });
  const slots: Slot[] = Array.from({ length: plan.workers }, () => ({ worker: null, startedAt: 0, crashes: 0 }));
  let stopping = false;
  let anyListened = false;
  let nextToStart = 1;
  let unclean = 0;

  const fork = (index: number) => {
    const slot = slots[index]!;
    const worker = cluster.fork();
    slot.worker = worker;
    slot.startedAt = Date.now();
    worker.once('listening', () => {
      anyListened = true;
      // Start-up in order: the next worker only once this one serves, so migrations and the demo
      // seed of an empty database run in one process, not in N at once.
      if (nextToStart < slots.length && !stopping) fork(nextToStart++);
    });
    worker.once('exit', (code, signal) => onExit(index, worker, code, signal));
  };

  const onExit = (index: number, worker: Worker, code: number | null, signal: string | null) => {
    const slot = slots[index]!;
    if (slot.worker !== worker) return;
    slot.worker = null;
    if (stopping) {
      if (code !== 0) {
        unclean++;
        log(50, `cluster primary: worker ${worker.process.pid} stopped with ${signal ?? `code ${code}`}`);
      }
      if (slots.every((s) => s.worker === null)) {
        log(unclean ? 50 : 30, `cluster primary: all workers stopped${unclean ? ` (${unclean} not cleanly)` : ''}`);
        process.exit(unclean ? 1 : 0);
      }
      return;
    }
    if (!anyListened) {
      // The first worker could not start (database unreachable, bad schema …): fail as a single
      // process would, so the supervisor sees it, instead of retrying silently forever.
      log(50, 'cluster primary: the first worker failed to start; exiting', { code, signal });
      process.exit(code || 1);
    }
    const lived = Date.now() - slot.startedAt;
    slot.crashes = lived > STABLE_AFTER_MS ? 1 : slot.crashes + 1;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (slot.crashes - 1));
    log(50, `cluster primary: worker ${worker.process.pid} died; starting a new one in ${delay} ms`, {
      workerPid: worker.process.pid,
      code,
      signal,
      livedMs: lived,
    });
    // Not unref'd: with every worker gone this timer is all that keeps the primary alive.
    setTimeout(() => {
      if (!stopping && slot.worker === null) fork(index);
    }, delay);
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const running = slots.map((s) => s.worker).filter((w): w is Worker => w !== null);
    log(30, `cluster primary: ${signal}, stopping ${running.length} workers`);
    if (running.length === 0) process.exit(0);
    // Each worker closes its server, sockets, jobs and pool itself (main.ts) and exits.
    for (const w of running) w.process.kill('SIGTERM');
    setTimeout(() => {
      const left = slots.map((s) => s.worker).filter((w): w is Worker => w !== null);
      log(50, `cluster primary: ${left.length} workers did not stop within ${SHUTDOWN_GRACE_MS} ms; killing them`);
      for (const w of left) w.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  fork(0);
}
