import { MikroORM as SqliteORM, BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import type { Options } from '@mikro-orm/core';
import { ENTITIES } from '../../src/infra/db/entities';

type Row = Record<string, unknown>;

/** A direct connection to an SQLite file beside the BFF that has it open (WAL allows it). */
export interface SqliteFile {
  prepare(sql: string): {
    all(...params: unknown[]): Row[];
    get(...params: unknown[]): Row | undefined;
    run(...params: unknown[]): unknown;
  };
  exec(sql: string): void;
  close(): void;
}

// better-sqlite3 ships no types and the BFF only reaches it through MikroORM; a test needs four calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const BetterSqlite = require('better-sqlite3') as new (file: string, options?: { readonly?: boolean }) => SqliteFile;

export function openSqliteFile(file: string, readonly = false): SqliteFile {
  return new BetterSqlite(file, { readonly });
}

export const countOf = (db: SqliteFile, sql: string, ...params: unknown[]): number =>
  Number(Object.values(db.prepare(sql).get(...params)!)[0]);

/** Makes `file` the way builds before the migrations did at every start: a schema diff of the entities. */
export async function createSchemaDiffedFile(file: string): Promise<void> {
  const orm = await SqliteORM.init({ entities: ENTITIES, driver: BetterSqliteDriver, dbName: file, allowGlobalContext: true } as Options);
  try {
    await orm.getSchemaGenerator().updateSchema();
  } finally {
    await orm.close(true);
  }
}

/** Copies every row of every table of `from` into the same tables of `to` (which must exist), by column name. */
export function copyRows(from: string, to: string): void {
  const db = openSqliteFile(to);
  try {
    db.prepare('ATTACH DATABASE ? AS src').run(from);
    const tables = db
      .prepare(`SELECT name FROM src.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'mikro_orm_migrations'`)
      .all();
    for (const { name } of tables) {
      const columns = db
        .prepare(`PRAGMA src.table_info(\`${String(name)}\`)`)
        .all()
        .map((c) => `\`${String(c.name)}\``)
        .join(', ');
      db.exec(`INSERT INTO main.\`${String(name)}\` (${columns}) SELECT ${columns} FROM src.\`${String(name)}\``);
    }
    db.exec('DETACH DATABASE src');
  } finally {
    db.close();
  }
}
