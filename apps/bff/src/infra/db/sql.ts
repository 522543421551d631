import type { DialectName, SqlDialect } from './dialect';

// What every store writes against: the Sql interface (a Database, or the transaction `tx` it hands
// to work), the statements batches are made of, and the readers that turn column values into
// numbers and booleans.

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
   * A conditional write that must change exactly this many rows (usually 1), or the batch stops
   * there with a BatchGuardError (nothing after it runs, COMMIT included). How a lost race ends a
   * batch sent as one packet.
   */
  requireRows?: number;
}

/** A `requireRows` statement changed another number of rows: the batch stopped; the caller rolls back. */
export class BatchGuardError extends Error {
  constructor() {
    super('a guarded statement of the batch changed another number of rows than it had to');
  }
}

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
 * (an em.findOne costs ~5x a raw read, see stack notes). Parameters are normalised (statement-sql.ts) so
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

/** Reads an integer-ish column (BIGINT may arrive as string) as a number. */
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
