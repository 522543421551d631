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

/** One statement of a batch (owners' statement builders return these). */
export interface Statement {
  sql: string;
  params: readonly unknown[];
  /**
   * A conditional write that must change exactly one row, or the batch stops there with a
   * BatchGuardError (nothing after it runs). How a lost race ends a batch sent as one packet.
   */
  requireOneRow?: boolean;
}

/** A `requireOneRow` statement changed no row: the batch stopped; the caller rolls back. */
export class BatchGuardError extends Error {
  constructor() {
    super('a guarded statement of the batch changed no row');
  }
}

/**
 * Fails the packet when the previous statement did not change one row: a scalar subquery with
 * two rows is an error (1242) in MySQL and MariaDB alike, and the server runs nothing after it.
 */
const GUARD = 'SELECT (SELECT 1 UNION ALL SELECT 2 FROM DUAL WHERE ROW_COUNT() <> 1) AS linli_guard';
const ER_SUBQUERY_NO_1_ROW = 1242;

/** What one statement of a batch gave: rows for a read, counts for a write. */
export interface BatchResult extends RunResult {
  rows: Row[];
}

/**
 * A parameter standing for the id an earlier INSERT of the same batch generated (its index in
 * the batch). On MySQL it becomes a session variable set right after that INSERT, so the batch
 * still goes as one packet; on SQLite the statements run one by one and it is the insert id.
 */
export class InsertIdOf {
  constructor(readonly index: number) {}
  /** mysql2 inlines this text instead of a quoted value. */
  toSqlString(): string {
    return `@linli_insert_${this.index}`;
  }
}

/** An id known now, or one an earlier INSERT of the batch will generate. */
export type IdParam = number | InsertIdOf;

export interface BatchOptions {
  /** The transaction's last statements: COMMIT goes in the same packet (batched transactions on MySQL). */
  commit?: boolean;
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
   * Runs `statements` in order, in one round trip where the connection allows several statements
   * per packet (batched transactions on MySQL), else one by one. Stops at the first that fails.
   */
  batch(statements: readonly Statement[], options?: BatchOptions): Promise<BatchResult[]>;
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
  /**
   * MySQL: run on the pool whose connections take several statements per packet, so `batch` is
   * one round trip, START TRANSACTION travels with the first statement and COMMIT with the last
   * batch that asks for it. For the hot paths written as a few batches (create, accept, …).
   */
  batched?: boolean;
}

/**
 * Sees every round trip made through a Database, as the text sent (several statements joined by
 * `;` when batched; START TRANSACTION and COMMIT too on MySQL): the benchmark replays them, the
 * round-trip test counts them.
 */
export type QueryObserver = (sql: string, params: unknown[], result: unknown, inTransaction: boolean) => void;

/** Runs one statement: `all` returns rows, `run` a result with affectedRows and insertId. */
type Execute = (sql: string, values: unknown[], method: 'all' | 'run') => Promise<unknown>;

/** A transaction on a connection that takes several statements per packet (see TransactionOptions.batched). */
interface PacketState {
  /** Statements that open the transaction, not sent yet: they go with the first statement. */
  opening: string[] | null;
  committed: boolean;
}

const READ = /^\s*(SELECT|WITH)\b/i;

function toBatchResult(result: unknown): BatchResult {
  if (Array.isArray(result)) return { rows: result as Row[], affectedRows: 0, insertId: 0 };
  const r = (result ?? {}) as { affectedRows?: number; insertId?: number | bigint };
  return { rows: [], affectedRows: Number(r.affectedRows ?? 0), insertId: Number(r.insertId ?? 0) };
}

class StatementSql implements Sql {
  readonly sqlDialect: SqlDialect;

  constructor(
    private readonly exec: Execute,
    readonly dialect: Dialect,
    private readonly observers: Set<QueryObserver>,
    private readonly inTransaction: boolean,
    private readonly notify: (topic: string) => void,
    private readonly packet: PacketState | null = null,
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

  async batch(statements: readonly Statement[], options: BatchOptions = {}): Promise<BatchResult[]> {
    if (this.packet) return this.batchInOnePacket(statements, options);
    const results: BatchResult[] = [];
    for (const s of statements) {
      const params = s.params.map((v) => (v instanceof InsertIdOf ? results[v.index]!.insertId : v));
      const result = toBatchResult(await this.execute(s.sql, params, READ.test(s.sql) ? 'all' : 'run'));
      if (s.requireOneRow && result.affectedRows !== 1) throw new BatchGuardError();
      results.push(result);
    }
    return results;
  }

  private async batchInOnePacket(statements: readonly Statement[], options: BatchOptions): Promise<BatchResult[]> {
    const packet = this.packet!;
    if (packet.committed) throw new Error('statement after the transaction committed');
    const referenced = new Set(
      statements.flatMap((s) => s.params.filter((v): v is InsertIdOf => v instanceof InsertIdOf).map((v) => v.index)),
    );
    const parts: string[] = packet.opening ?? [];
    const values: unknown[] = [];
    const positions: number[] = [];
    statements.forEach((s, i) => {
      positions.push(parts.length);
      parts.push(s.sql);
      values.push(...normalise(s.params));
      if (s.requireOneRow) parts.push(GUARD);
      if (referenced.has(i)) parts.push(`SET ${new InsertIdOf(i).toSqlString()} = LAST_INSERT_ID()`);
    });
    if (options.commit) parts.push('COMMIT');
    packet.opening = null;
    const text = parts.join(';\n');
    let result: unknown;
    try {
      result = await this.exec(text, values, 'all');
    } catch (err) {
      const guarded = statements.some((st) => st.requireOneRow);
      if (guarded && (err as { errno?: unknown }).errno === ER_SUBQUERY_NO_1_ROW) throw new BatchGuardError();
      throw err;
    }
    if (options.commit) packet.committed = true;
    for (const observe of this.observers) observe(text, values, result, this.inTransaction);
    const each = parts.length === 1 ? [result] : (result as unknown[]);
    return positions.map((p) => toBatchResult(each[p]));
  }

  private async execute(sql: string, params: readonly unknown[], method: 'all' | 'run'): Promise<unknown> {
    const values = normalise(params);
    const opening = this.packet?.opening;
    if (this.packet?.committed) throw new Error('statement after the transaction committed');
    if (opening) {
      // The transaction opens in the same packet as its first statement.
      this.packet!.opening = null;
      const text = [...opening, sql].join(';\n');
      const results = (await this.exec(text, values, method)) as unknown[];
      const result = results[results.length - 1];
      for (const observe of this.observers) observe(text, values, result, this.inTransaction);
      return result;
    }
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

const READ_COMMITTED = 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED';

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
    /** Connections with multipleStatements, for batched transactions only (never for a statement built from input). */
    private readonly batchPool: Pool | null = null,
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
  batch(statements: readonly Statement[]): Promise<BatchResult[]> {
    return this.root.batch(statements);
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
      const notify = (topic: string) => topics.add(topic);
      let result: T;
      if (this.pool && options.batched && this.batchPool) {
        result = await this.packedTransaction(work, options, notify);
      } else if (this.pool) {
        const sqlOn = (conn: GuardedConnection) => new StatementSql(onMysql(conn), this.dialect, this.observers, true, notify);
        result = await this.mysqlTransaction((conn) => work(sqlOn(conn)), options);
      } else {
        result = await (this.orm.em.fork() as SqlEntityManager).transactional((em) =>
          work(new StatementSql(onOrm(em), this.dialect, this.observers, true, notify)),
        );
      }
      for (const topic of topics) this.emitCommit(topic);
      return result;
    }, this.countRetry);
  }

  /** How often a deadlock or lock wait timeout made a transaction or statement run again (since start). */
  get lockConflictRetries(): number {
    return this.retries;
  }

  private observeAlone(sql: string): void {
    for (const observe of this.observers) observe(sql, [], null, true);
  }

  private async mysqlTransaction<T>(work: (conn: GuardedConnection) => Promise<T>, options: TransactionOptions): Promise<T> {
    const conn = await acquireGuarded(this.pool!, this.limits);
    let healthy = true;
    try {
      // Without SESSION this applies to the next transaction only: the pooled connection keeps its default.
      if (options.readCommitted) {
        await conn.query(READ_COMMITTED);
        this.observeAlone(READ_COMMITTED);
      }
      await conn.query('START TRANSACTION');
      this.observeAlone('START TRANSACTION');
      const result = await work(conn);
      await conn.query('COMMIT');
      this.observeAlone('COMMIT');
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

  /**
   * A transaction on a multi-statement connection: START TRANSACTION leaves with the first
   * statement, COMMIT with the batch that asks for it (else on its own at the end), so a
   * transaction written as a few batches costs that many round trips.
   */
  private async packedTransaction<T>(
    work: (tx: Sql) => Promise<T>,
    options: TransactionOptions,
    notify: (topic: string) => void,
  ): Promise<T> {
    const conn = await acquireGuarded(this.batchPool!, this.limits);
    const packet: PacketState = { opening: [...(options.readCommitted ? [READ_COMMITTED] : []), 'START TRANSACTION'], committed: false };
    let healthy = true;
    try {
      const result = await work(new StatementSql(onMysql(conn), this.dialect, this.observers, true, notify, packet));
      if (!packet.committed && packet.opening === null) {
        await conn.query('COMMIT');
        this.observeAlone('COMMIT');
      }
      return result;
    } catch (err) {
      if (packet.opening === null && !packet.committed) await conn.query('ROLLBACK').catch(() => (healthy = false));
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
      await this.batchPool?.end();
      await this.orm.close(true);
    })();
    return this.closing;
  }
}

/** Reads an integer-ish column (BIGINT may arrive as string) as a number. */
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
