import type { Pool } from 'mysql2/promise';
import { AppError, unavailable } from '../../errors';

/**
 * How long a statement may wait for a pooled connection and then for its answer. Without them a
 * paused database held every request (and /readyz) for as long as it was paused.
 */
export interface PoolLimits {
  acquireTimeoutMs: number;
  queryTimeoutMs: number;
}

export const databaseUnavailable = (): AppError => unavailable('DATABASE_UNAVAILABLE', '系统繁忙，请稍后再试');

/** Errors that say the database cannot be reached right now, as opposed to a bad statement or a conflict. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);
const UNREACHABLE_MESSAGES = new Set(['Queue limit reached.', 'Pool is closed.']);

export function isDatabaseUnreachable(err: unknown): boolean {
  // Not `instanceof Error`: socket errors may come from another realm (Node core under jest's vm).
  if (typeof err !== 'object' || err === null) return false;
  const { code, fatal, message } = err as { code?: unknown; fatal?: unknown; message?: unknown };
  return (
    fatal === true ||
    (typeof code === 'string' && UNREACHABLE_CODES.has(code)) ||
    (typeof message === 'string' && UNREACHABLE_MESSAGES.has(message))
  );
}

/** A pooled connection whose statements carry the query timeout; one that timed out is closed, never reused. */
export interface GuardedConnection {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
  release(): void;
  destroy(): void;
}

/** The callback API under mysql2's promise wrappers: one closure per statement instead of three promises. */
interface CoreConnection {
  query(options: { sql: string; values: unknown[]; timeout: number }, cb: (err: unknown, result: unknown, fields: unknown) => void): void;
  release(): void;
  destroy(): void;
}
interface CorePool {
  getConnection(cb: (err: unknown, conn: CoreConnection) => void): void;
  // mysql2 internals, read only to skip the timer when a connection is at hand (see acquire).
  _freeConnections?: { length: number };
  _allConnections?: { length: number };
  config?: { connectionLimit?: number };
}

const corePool = (pool: Pool): CorePool => (pool as unknown as { pool: CorePool }).pool;

/** A pool that will hand out a connection without queueing (a free one, or room for a new one bounded by connectTimeout). */
function hasRoom(core: CorePool): boolean {
  const free = core._freeConnections?.length;
  const all = core._allConnections?.length;
  const limit = core.config?.connectionLimit;
  if (free === undefined || all === undefined || limit === undefined) return false;
  return free > 0 || limit === 0 || all < limit;
}

/**
 * mysql2 pools wait for a connection without end, so a wait in the queue is raced against a timer.
 * A connection that turns up after the caller gave up goes straight back to the pool. With a
 * connection at hand there is nothing to wait for, and no timer (the hot path).
 */
function acquire(core: CorePool, timeoutMs: number, cb: (err: unknown, conn: CoreConnection | null) => void): void {
  if (hasRoom(core)) return core.getConnection((err, conn) => (err ? cb(mapUnreachable(err), null) : cb(null, conn)));
  let gaveUp = false;
  const timer = setTimeout(() => {
    gaveUp = true;
    cb(databaseUnavailable(), null);
  }, timeoutMs);
  core.getConnection((err, conn) => {
    if (gaveUp) return void (err ? undefined : conn.release());
    clearTimeout(timer);
    if (err) cb(mapUnreachable(err), null);
    else cb(null, conn);
  });
}

const mapUnreachable = (err: unknown): unknown => (isDatabaseUnreachable(err) ? databaseUnavailable() : err);

/** Runs one statement on `conn`; a statement that timed out or lost its line takes the connection with it. */
function run(
  conn: CoreConnection,
  sql: string,
  values: unknown[],
  timeout: number,
  cb: (err: unknown, result?: [unknown, unknown]) => void,
): void {
  conn.query({ sql, values, timeout }, (err, result, fields) => {
    if (!err) return cb(null, [result, fields]);
    if (!isDatabaseUnreachable(err)) return cb(err);
    // A timed-out statement may still answer later and would confuse the next user of this connection.
    conn.destroy();
    cb(databaseUnavailable());
  });
}

/** A connection for a transaction, within the acquire timeout, its statements within the query timeout. */
export function acquireGuarded(pool: Pool, limits: PoolLimits): Promise<GuardedConnection> {
  return new Promise((resolve, reject) =>
    acquire(corePool(pool), limits.acquireTimeoutMs, (err, conn) => (err ? reject(err) : resolve(guard(conn!, limits.queryTimeoutMs)))),
  );
}

function guard(conn: CoreConnection, timeout: number): GuardedConnection {
  let closed = false;
  return {
    query: (sql, values = []) =>
      new Promise((resolve, reject) =>
        run(conn, sql, values, timeout, (err, result) => {
          if (!err) return resolve(result!);
          if (err instanceof AppError) closed = true; // run() destroyed it
          reject(err);
        }),
      ),
    release: () => {
      if (!closed) conn.release();
    },
    destroy: () => {
      if (closed) return;
      closed = true;
      conn.destroy();
    },
  };
}

/** One statement on a pooled connection: the same single round trip as `pool.query`, with both limits. */
export function guardedPoolExec(pool: Pool, limits: PoolLimits): (sql: string, values: unknown[]) => Promise<unknown> {
  const core = corePool(pool);
  return (sql, values) =>
    new Promise((resolve, reject) =>
      acquire(core, limits.acquireTimeoutMs, (err, conn) => {
        if (err) return reject(err);
        run(conn!, sql, values, limits.queryTimeoutMs, (queryErr, result) => {
          if (queryErr) {
            if (!(queryErr instanceof AppError)) conn!.release();
            return reject(queryErr);
          }
          conn!.release();
          resolve(result![0]);
        });
      }),
    );
}
