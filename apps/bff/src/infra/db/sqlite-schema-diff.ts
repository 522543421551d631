import type { MikroORM } from '@mikro-orm/core';
import {
  DatabaseSchema,
  type SqlSchemaGenerator,
  type AbstractSqlConnection,
  type AbstractSqlPlatform,
  type SqlEntityManager,
} from '@mikro-orm/knex';

/** `'a', 'b', 'it''s'` → ['a', 'b', "it's"] */
const enumValues = (list: string) => [...list.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));

/**
 * What MikroORM's schema diff would still change in the SQLite database behind `orm` to match its
 * entities ('' when nothing). For the tests and `npm run migration:create` only: start-up never diffs.
 *
 * MikroORM 6.6.16 misreads two things in any SQLite database, even one it created itself, so the
 * database side is corrected for exactly those before comparing: an enum's `check (c in (...))`
 * is read as its first and last value only (the split in BaseSqliteSchemaHelper.getEnumDefinitions
 * keeps only the last comma), and a bigint auto-increment primary key reads back as `integer`
 * (SQLite only auto-increments an INTEGER PRIMARY KEY, which is 64-bit anyway).
 */
export async function sqliteSchemaDrift(orm: MikroORM): Promise<string> {
  const em = orm.em as SqlEntityManager;
  const connection = em.getConnection() as AbstractSqlConnection;
  const platform = em.getPlatform() as AbstractSqlPlatform;
  const fromSchema = await DatabaseSchema.create(connection, platform, orm.config);
  const target = (orm.getSchemaGenerator() as SqlSchemaGenerator).getTargetSchema();
  for (const table of fromSchema.getTables()) {
    const rows = await connection.execute<{ sql: string }[]>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [
      table.name,
    ]);
    const sql = rows[0]?.sql ?? '';
    for (const column of table.getColumns()) {
      const check = new RegExp(
        `[\`"]${column.name}[\`"] text check \\([\`"]${column.name}[\`"] in \\(((?:'(?:[^']|'')*'\\s*,?\\s*)+)\\)\\)`,
        'i',
      ).exec(sql);
      if (check) column.enumItems = enumValues(check[1]!);
      const wanted = target.getTable(table.name)?.getColumn(column.name);
      if (column.primary && column.autoincrement && column.type.toLowerCase() === 'integer' && wanted?.type === 'bigint') {
        column.type = wanted.type;
        column.mappedType = wanted.mappedType;
      }
    }
  }
  return (await orm.getSchemaGenerator().getUpdateSchemaSQL({ fromSchema })).trim();
}

/**
 * The diff as migration statements, one per string: without MikroORM's `pragma foreign_keys`
 * toggles (no-ops inside the migration's transaction; the schema has no foreign keys), and with
 * the auto-increment counter carried over wherever it rebuilds a table (as `sqliteRebuildTable`).
 */
export function sqliteMigrationStatements(diff: string): string[] {
  const out: string[] = [];
  for (const raw of diff.split(/;\s*\n|;(?=pragma)|;\s*$/i)) {
    const sql = raw.trim();
    if (!sql || /^pragma foreign_keys/i.test(sql)) continue;
    out.push(`${sql};`);
    const copy = /^insert into `(\w+)__temp_alter` .* from `(\w+)`$/is.exec(sql);
    if (copy) {
      out.push(`delete from sqlite_sequence where name = '${copy[1]}__temp_alter';`);
      out.push(
        `insert into sqlite_sequence (name, seq) select '${copy[1]}__temp_alter', seq from sqlite_sequence where name = '${copy[2]}';`,
      );
    }
  }
  return out;
}
