import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Pool } from 'mysql2/promise';
import { dialectNamed, type SqlDialect } from './dialect';
import { retryOnLockConflict } from './lock-conflicts';
import { guardedPoolExec, acquireGuarded, type GuardedConnection, type PoolLimits } from './pool-limits';
import type { BatchResult, Dialect, Row, RunResult, Sql, Statement } from './sql';
import { onMysql, onOrm, StatementSql, type Execute, type PacketState, type QueryObserver } from './statement-sql';

// infra/db's entry point for the rest of the BFF: stores write against the Sql interface, its
// statements and row readers (sql.ts), services hold the Database.
export * from './sql';

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

const READ_COMMITTED = 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED';

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
