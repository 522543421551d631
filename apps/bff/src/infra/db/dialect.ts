/**
 * Every difference between MySQL (InnoDB) and SQLite that a statement of the BFF has to spell out,
 * in one object: modules write `tx.sqlDialect.forUpdate` instead of branching on the dialect's name.
 * Reach it as `sql.sqlDialect` on any `Sql` (infra/db/database.ts), inside or outside a transaction.
 *
 * Fragments that start a clause begin with a space and are '' where the dialect has nothing to say,
 * so they splice into a template literal as is: `SELECT … WHERE id = ?${d.forUpdate}`.
 * Column and index names passed in are literals of the calling module, never input.
 *
 * API (keep it small; add a member only when a second caller needs it):
 *   name                 'mysql' | 'sqlite', for logs and the rare case that is not a piece of SQL
 *   forUpdate            ' FOR UPDATE' | ''           lock the rows read (SQLite's one writer already excludes others)
 *   forUpdateSkipLocked  ' FOR UPDATE SKIP LOCKED' | '' claim rows no other worker holds
 *   insertIgnore         'INSERT IGNORE' | 'INSERT OR IGNORE'
 *   excluded(col)        the value the INSERT tried to write, inside an upsert's SET
 *   upsert(keys, set)    ' ON DUPLICATE KEY UPDATE …' | ' ON CONFLICT (keys) DO UPDATE SET …'
 *   greatest/least(...)  GREATEST/LEAST | scalar MAX/MIN
 *   concat(...)          CONCAT(a, b) | (a || b)
 *   intDiv(a, b)         integer division: FLOOR(a / b) | (a / b) on integers
 *   jsonText(col, path)  a JSON member as text
 *   shanghaiDay(col)     yyyymmdd (Asia/Shanghai, UTC+8, no DST) of an epoch-ms column, as an integer
 *   forceIndex(index)    ' FORCE INDEX (i)' | ''        make MySQL's planner take the index we measured
 *   requireIndex(index)  ' FORCE INDEX (i)' | ' INDEXED BY i' where SQLite must take it too
 *   namedLock(name)      statements to take (at once or not at all) and release a lock named for this
 *                        database and `name`, held by the connection: one instance at a time | null
 *                        where one process is the only writer (SQLite)
 *   likeEscape           " ESCAPE '\'" where backslash is not LIKE's escape by default (SQLite)
 *   concurrentWriters    true when several connections write at once (MySQL): worth parallel workers
 *                        and a real transaction around a read-then-write; SQLite has one writer on one
 *                        connection, where a transaction held across a slow call stalls everyone
 */
export type DialectName = 'mysql' | 'sqlite';

export interface SqlDialect {
  readonly name: DialectName;
  readonly forUpdate: string;
  readonly forUpdateSkipLocked: string;
  readonly insertIgnore: string;
  excluded(column: string): string;
  /** `set` maps each column to its new value's expression (use `excluded(col)` for the incoming one). */
  upsert(conflictKeys: readonly string[], set: Readonly<Record<string, string>>): string;
  greatest(...exprs: string[]): string;
  least(...exprs: string[]): string;
  concat(...exprs: string[]): string;
  intDiv(dividend: string, divisor: string): string;
  jsonText(column: string, path: string): string;
  shanghaiDay(epochMsColumn: string): string;
  forceIndex(index: string): string;
  requireIndex(index: string): string;
  /** `take` answers a row with `held` 1 when the lock is now this connection's, 0 when another holds it. */
  namedLock(name: string): { take: string; release: string } | null;
  readonly likeEscape: string;
  readonly concurrentWriters: boolean;
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;

const assignments = (set: Readonly<Record<string, string>>): string =>
  Object.entries(set)
    .map(([col, expr]) => `${col} = ${expr}`)
    .join(', ');

const mysqlDialect: SqlDialect = {
  name: 'mysql',
  forUpdate: ' FOR UPDATE',
  forUpdateSkipLocked: ' FOR UPDATE SKIP LOCKED',
  insertIgnore: 'INSERT IGNORE',
  excluded: (col) => `VALUES(${col})`,
  upsert: (_keys, set) => ` ON DUPLICATE KEY UPDATE ${assignments(set)}`,
  greatest: (...e) => `GREATEST(${e.join(', ')})`,
  least: (...e) => `LEAST(${e.join(', ')})`,
  concat: (...e) => `CONCAT(${e.join(', ')})`,
  intDiv: (a, b) => `FLOOR((${a}) / (${b}))`,
  jsonText: (col, path) => `JSON_UNQUOTE(JSON_EXTRACT(${col}, '${path}'))`,
  shanghaiDay: (col) =>
    `CAST(DATE_FORMAT(DATE_ADD('1970-01-01', INTERVAL FLOOR((${col} + ${SHANGHAI_OFFSET_MS}) / ${DAY_MS}) DAY), '%Y%m%d') AS UNSIGNED)`,
  forceIndex: (index) => ` FORCE INDEX (${index})`,
  requireIndex: (index) => ` FORCE INDEX (${index})`,
  // Lock names are server-wide: the database's name keeps two deployments (or test databases)
  // apart, hashed because MySQL 8 refuses names over 64 characters.
  namedLock: (name) => ({
    take: `SELECT GET_LOCK(SHA1(CONCAT(DATABASE(), '.${name}')), 0) AS held`,
    release: `DO RELEASE_LOCK(SHA1(CONCAT(DATABASE(), '.${name}')))`,
  }),
  // MySQL's LIKE already treats backslash as the escape character.
  likeEscape: '',
  concurrentWriters: true,
};

const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  forUpdate: '',
  forUpdateSkipLocked: '',
  insertIgnore: 'INSERT OR IGNORE',
  excluded: (col) => `excluded.${col}`,
  upsert: (keys, set) => ` ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${assignments(set)}`,
  // SQLite's multi-argument MAX/MIN are scalar functions, not the aggregates.
  greatest: (...e) => `MAX(${e.join(', ')})`,
  least: (...e) => `MIN(${e.join(', ')})`,
  concat: (...e) => `(${e.join(' || ')})`,
  // Integer operands divide as integers in SQLite (truncating; callers divide non-negative values).
  intDiv: (a, b) => `((${a}) / (${b}))`,
  jsonText: (col, path) => `json_extract(${col}, '${path}')`,
  shanghaiDay: (col) => `CAST(strftime('%Y%m%d', (${col} + ${SHANGHAI_OFFSET_MS}) / 1000, 'unixepoch') AS INTEGER)`,
  forceIndex: () => '',
  requireIndex: (index) => ` INDEXED BY ${index}`,
  namedLock: () => null,
  likeEscape: " ESCAPE '\\'",
  concurrentWriters: false,
};

export const dialectNamed = (name: DialectName): SqlDialect => (name === 'mysql' ? mysqlDialect : sqliteDialect);
