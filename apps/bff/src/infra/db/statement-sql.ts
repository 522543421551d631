import type { SqlEntityManager } from '@mikro-orm/knex';
import { dialectNamed, type SqlDialect } from './dialect';
import type { GuardedConnection } from './pool-limits';
import {
  BatchGuardError,
  InsertIdOf,
  type BatchOptions,
  type BatchResult,
  type Dialect,
  type Row,
  type RunResult,
  type Sql,
  type Statement,
} from './sql';

// Running statements on one connection (or the pool): parameters normalised for both databases,
// batches sent in one packet where the connection takes several statements, every round trip shown
// to the observers.

function normalise(params: readonly unknown[]): unknown[] {
  return params.map((v) => (v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

/**
 * Fails the packet when the previous statement did not change the required number of rows (its
 * one parameter): a scalar subquery with two rows is an error (1242) in MySQL and MariaDB alike,
 * and the server runs nothing after it.
 */
const GUARD = 'SELECT (SELECT 1 UNION ALL SELECT 2 FROM DUAL WHERE ROW_COUNT() <> ?) AS linli_guard';
const ER_SUBQUERY_NO_1_ROW = 1242;

/**
 * Sees every round trip made through a Database, as the text sent (several statements joined by
 * `;` when batched; START TRANSACTION and COMMIT too on MySQL): the benchmark replays them, the
 * round-trip test counts them.
 */
export type QueryObserver = (sql: string, params: unknown[], result: unknown, inTransaction: boolean) => void;

/** Runs one statement: `all` returns rows, `run` a result with affectedRows and insertId. */
export type Execute = (sql: string, values: unknown[], method: 'all' | 'run') => Promise<unknown>;

/** A transaction on a connection that takes several statements per packet (see TransactionOptions.batched). */
export interface PacketState {
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

export class StatementSql implements Sql {
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
      if (s.requireRows !== undefined && result.affectedRows !== s.requireRows) throw new BatchGuardError();
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
      if (s.requireRows !== undefined) {
        parts.push(GUARD);
        values.push(s.requireRows);
      }
      if (referenced.has(i)) parts.push(`SET ${new InsertIdOf(i).toSqlString()} = LAST_INSERT_ID()`);
    });
    if (options.commit) parts.push('COMMIT');
    packet.opening = null;
    const text = parts.join(';\n');
    let result: unknown;
    try {
      result = await this.exec(text, values, 'all');
    } catch (err) {
      const guarded = statements.some((st) => st.requireRows !== undefined);
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
export const onMysql =
  (conn: Pick<GuardedConnection, 'query'>): Execute =>
  async (sql, values) => {
    const [result] = await conn.query(sql, values);
    return result;
  };

/** MikroORM's connection as an Execute (the embedded SQLite mode). */
export const onOrm =
  (em: SqlEntityManager): Execute =>
  (sql, values, method) =>
    em.execute(sql, values, method);
