import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Pool } from 'mysql2/promise';
import { dialectNamed, type DialectName, type SqlDialect } from './dialect';
import { guardedPoolExec, acquireGuarded, type GuardedConnection, type PoolLimits } from './pool-limits';

export type Dialect = DialectName;
export type Row = Record<string, unknown>;
export interface RunResult {
  affectedRows: number;
  insertId: number;
}

/**
 * Plain SQL through MikroORM's connection. Hot paths use this instead of the unit of work
 * (an em.findOne costs ~5x a raw read, see stack notes). Parameters are normalised here so
 * the same statement runs on MySQL and SQLite: booleans become 0/1, undefined becomes NULL.
 */
export interface Sql {
  /** The dialect's name; to write SQL, use `sqlDialect` instead of branching on it. */
  readonly dialect: Dialect;
  /** Every MySQL/SQLite difference a statement spells out (infra/db/dialect.ts). */
  readonly sqlDialect: SqlDialect;
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /**
   * Tells the database's `onCommit(topic)` listeners once the surrounding transaction has
   * committed (at once outside a transaction). A rolled-back transaction tells nobody.
   */
  notifyOnCommit(topic: string): void;
}

function normalise(params: readonly unknown[]): unknown[] {
  return params.map((v) => (v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

export interface TransactionOptions {
  /**
   * MySQL: run at READ COMMITTED instead of REPEATABLE READ. Each read then sees what had committed
   * when it ran, not a snapshot from the transaction's first read, and searches take no gap locks.
   * For a count made after waiting on a row lock (the twin that held it has committed by then).
   * SQLite has one writer and ignores it.
   */
  readCommitted?: boolean;
}

/** Sees every statement run through a Database (the benchmark replays them; metrics may count them). */
export type QueryObserver = (sql: string, params: unknown[], result: unknown, inTransaction: boolean) => void;

/** Runs one statement: `all` returns rows, `run` a result with affectedRows and insertId. */
type Execute = (sql: string, values: unknown[], method: 'all' | 'run') => Promise<unknown>;

class StatementSql implements Sql {
  readonly sqlDialect: SqlDialect;

  constructor(
    private readonly exec: Execute,
    readonly dialect: Dialect,
    private readonly observers: Set<QueryObserver>,
    private readonly inTransaction: boolean,
    private readonly notify: (topic: string) => void,
  ) {
    this.sqlDialect = dialectNamed(dialect);
  }

  notifyOnCommit(topic: string): void {
    this.notify(topic);
  }

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.execute(sql, params, 'all') as Promise<T[]>;
  }

  async one<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    const rows = (await this.execute(sql, params, 'all')) as T[];
    return rows[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    const res = (await this.execute(sql, params, 'run')) as { affectedRows?: number; insertId?: number | bigint };
    return { affectedRows: Number(res.affectedRows ?? 0), insertId: Number(res.insertId ?? 0) };
  }

  private async execute(sql: string, params: readonly unknown[], method: 'all' | 'run'): Promise<unknown> {
    const values = normalise(params);
    const result = await this.exec(sql, values, method);
    for (const observe of this.observers) observe(sql, values, result, this.inTransaction);
    return result;
  }
}

/** A mysql2 connection or pool as an Execute: plain text protocol, one round trip per statement. */
const onMysql =
  (conn: Pick<GuardedConnection, 'query'>): Execute =>
  async (sql, values) => {
    const [result] = await conn.query(sql, values);
    return result;
  };

/** InnoDB's errors for a transaction that lost a lock conflict; it was rolled back and may simply run again. */
const ER_LOCK_DEADLOCK = 1213;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const MAX_DEADLOCK_ATTEMPTS = 5;

function lockConflictOf(err: unknown): number | null {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT ? errno : null;
}

/**
 * The one place lock conflicts are retried (every transaction, and on MySQL every statement run
 * outside one). Deadlocks are part of InnoDB's normal life under concurrent writers: the victim is
 * rolled back whole, so running it again is safe. A few attempts with a short jittered pause let
 * the winner commit first. A lock wait timeout already cost its full wait, so it gets one retry only.
 */
export async function retryOnLockConflict<T>(attempt: () => Promise<T>, onRetry: () => void = () => undefined): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const errno = lockConflictOf(err);
      const maxTries = errno === ER_LOCK_WAIT_TIMEOUT ? 2 : MAX_DEADLOCK_ATTEMPTS;
      if (errno === null || tries >= maxTries) throw err;
      onRetry();
      const pauseMs = 2 ** tries * 5 * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** MikroORM's connection as an Execute (the embedded SQLite mode). */
const onOrm =
  (em: SqlEntityManager): Execute =>
  (sql, values, method) =>
    em.execute(sql, values, method);

/**
 * The database as the BFF uses it. MikroORM owns the schema (entities, migrations, the SQLite
 * file); on MySQL every statement goes through a bare mysql2 pool, which costs about 40 % less
 * CPU per statement than going through MikroORM and knex (stack notes), on the hottest paths.
 */
export class Database implements Sql {
  private readonly root: StatementSql;
  private readonly observers = new Set<QueryObserver>();
  private readonly commitListeners = new Map<string, Set<() => void>>();
  private closing: Promise<void> | null = null;
  private retries = 0;
  private readonly countRetry = () => void this.retries++;
  readonly sqlDialect: SqlDialect;

  constructor(
    readonly orm: MikroORM,
    readonly dialect: Dialect,
    private readonly pool: Pool | null = null,
    private readonly limits: PoolLimits = { acquireTimeoutMs: 10_000, queryTimeoutMs: 60_000 },
  ) {
    this.sqlDialect = dialectNamed(dialect);
    // A statement outside a transaction is a transaction of its own: a deadlock undid all of it.
    const guarded = pool ? guardedPoolExec(pool, limits) : null;
    const exec: Execute = guarded
      ? (sql, values) => retryOnLockConflict(() => guarded(sql, values), this.countRetry)
      : onOrm(orm.em as SqlEntityManager);
    this.root = new StatementSql(exec, dialect, this.observers, false, (topic) => this.emitCommit(topic));
  }

  /** Calls `observer` after every statement until the returned function is called. */
  observe(observer: QueryObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Calls `listener` after every commit that asked for `topic`, until the returned function is called. */
  onCommit(topic: string, listener: () => void): () => void {
    const set = this.commitListeners.get(topic) ?? new Set();
    set.add(listener);
    this.commitListeners.set(topic, set);
    return () => set.delete(listener);
  }

  private emitCommit(topic: string): void {
    for (const listener of this.commitListeners.get(topic) ?? []) listener();
  }

  notifyOnCommit(topic: string): void {
    this.emitCommit(topic);
  }

  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.root.all<T>(sql, params);
  }
  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.root.one<T>(sql, params);
  }
  run(sql: string, params?: readonly unknown[]): Promise<RunResult> {
    return this.root.run(sql, params);
  }

  /**
   * Runs `work` in one transaction; it commits when `work` resolves and rolls back if it throws.
   * A transaction InnoDB chose as a deadlock victim (or that timed out waiting for a lock) was
   * rolled back whole, so it is run again from the start: `work` must not keep state of its own
   * across attempts beyond what it reads from `tx`.
   */
  async transaction<T>(work: (tx: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return retryOnLockConflict(async () => {
      const topics = new Set<string>();
      const sqlOn = (exec: Execute) => new StatementSql(exec, this.dialect, this.observers, true, (topic) => topics.add(topic));
      const result = this.pool
        ? await this.mysqlTransaction((conn) => work(sqlOn(onMysql(conn))), options)
        : await (this.orm.em.fork() as SqlEntityManager).transactional((em) => work(sqlOn(onOrm(em))));
      for (const topic of topics) this.emitCommit(topic);
      return result;
    }, this.countRetry);
  }

  /** How often a deadlock or lock wait timeout made a transaction or statement run again (since start). */
  get lockConflictRetries(): number {
    return this.retries;
  }

  private async mysqlTransaction<T>(work: (conn: GuardedConnection) => Promise<T>, options: TransactionOptions): Promise<T> {
    const conn = await acquireGuarded(this.pool!, this.limits);
    let healthy = true;
    try {
      // Without SESSION this applies to the next transaction only: the pooled connection keeps its default.
      if (options.readCommitted) await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await conn.query('START TRANSACTION');
      const result = await work(conn);
      await conn.query('COMMIT');
      return result;
    } catch (err) {
      // A connection that cannot even roll back is broken: drop it rather than hand it out again.
      await conn.query('ROLLBACK').catch(() => (healthy = false));
      throw err;
    } finally {
      if (healthy) conn.release();
      else conn.destroy();
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.root.one('SELECT 1 AS ok');
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.pool?.end();
      await this.orm.close(true);
    })();
    return this.closing;
  }
}

/** Reads an integer-ish column (BIGINT may arrive as string) as a number. */
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
