import type { Pool, PoolConnection } from 'mysql2/promise';
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
  'DB_ACQUIRE_TIMEOUT',
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

/**
 * mysql2 pools wait for a connection without end, so the wait is raced against a timer. A
 * connection that turns up after the caller gave up goes straight back to the pool.
 */
export async function acquireGuarded(pool: Pool, limits: PoolLimits): Promise<GuardedConnection> {
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const pending = pool.getConnection();
  try {
    const conn = await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          gaveUp = true;
          reject(Object.assign(new Error('no database connection in time'), { code: 'DB_ACQUIRE_TIMEOUT' }));
        }, limits.acquireTimeoutMs);
      }),
    ]);
    return guard(conn, limits.queryTimeoutMs);
  } catch (err) {
    if (gaveUp)
      pending.then(
        (late) => late.release(),
        () => undefined,
      );
    throw isDatabaseUnreachable(err) ? databaseUnavailable() : err;
  } finally {
    clearTimeout(timer);
  }
}

function guard(conn: PoolConnection, timeout: number): GuardedConnection {
  let closed = false;
  const destroy = () => {
    if (closed) return;
    closed = true;
    conn.destroy();
  };
  return {
    async query(sql, values = []) {
      try {
        return (await conn.query({ sql, values, timeout })) as [unknown, unknown];
      } catch (err) {
        if (!isDatabaseUnreachable(err)) throw err;
        // A timed-out statement may still answer later and would confuse the next user of this connection.
        destroy();
        throw databaseUnavailable();
      }
    },
    release: () => {
      if (!closed) conn.release();
    },
    destroy,
  };
}

/** One statement on a pooled connection: the same single round trip as `pool.query`, with both limits. */
export const guardedPoolExec =
  (pool: Pool, limits: PoolLimits) =>
  async (sql: string, values: unknown[]): Promise<unknown> => {
    const conn = await acquireGuarded(pool, limits);
    try {
      const [result] = await conn.query(sql, values);
      return result;
    } finally {
      conn.release();
    }
  };
