import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Pool, PoolConnection } from 'mysql2/promise';

export type Dialect = 'mysql' | 'sqlite';
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
  readonly dialect: Dialect;
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

/** Sees every statement run through a Database (the benchmark replays them; metrics may count them). */
export type QueryObserver = (sql: string, params: unknown[], result: unknown, inTransaction: boolean) => void;

/** Runs one statement: `all` returns rows, `run` a result with affectedRows and insertId. */
type Execute = (sql: string, values: unknown[], method: 'all' | 'run') => Promise<unknown>;

class StatementSql implements Sql {
  constructor(
    private readonly exec: Execute,
    readonly dialect: Dialect,
    private readonly observers: Set<QueryObserver>,
    private readonly inTransaction: boolean,
    private readonly notify: (topic: string) => void,
  ) {}

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
  (conn: Pick<PoolConnection, 'query'>): Execute =>
  async (sql, values) => {
    const [result] = await conn.query(sql, values);
    return result;
  };

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

  constructor(
    readonly orm: MikroORM,
    readonly dialect: Dialect,
    private readonly pool: Pool | null = null,
  ) {
    const exec = pool ? onMysql(pool) : onOrm(orm.em as SqlEntityManager);
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
   * `readCommitted` (MySQL) takes no gap locks: for background work that locks the rows it
   * changes itself and runs beside other such transactions (the deadline sweeper).
   */
  async transaction<T>(work: (tx: Sql) => Promise<T>, options: { readCommitted?: boolean } = {}): Promise<T> {
    const topics = new Set<string>();
    const sqlOn = (exec: Execute) => new StatementSql(exec, this.dialect, this.observers, true, (topic) => topics.add(topic));
    const result = this.pool
      ? await this.mysqlTransaction((conn) => work(sqlOn(onMysql(conn))), options.readCommitted ?? false)
      : await (this.orm.em.fork() as SqlEntityManager).transactional((em) => work(sqlOn(onOrm(em))));
    for (const topic of topics) this.emitCommit(topic);
    return result;
  }

  private async mysqlTransaction<T>(work: (conn: PoolConnection) => Promise<T>, readCommitted: boolean): Promise<T> {
    const conn = await this.pool!.getConnection();
    let healthy = true;
    try {
      // Applies to the next transaction only; the pooled connection keeps its default after it.
      if (readCommitted) await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
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
