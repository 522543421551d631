import { Migration } from '@mikro-orm/migrations';
import { BaseSqlitePlatform } from '@mikro-orm/knex';

/**
 * One schema history for both databases: MySQL and the embedded SQLite file run the same ordered
 * list of migrations (`index.ts`), and every migration carries its DDL for both. To add one:
 *
 *   export class Migration20261201120000_example extends DialectMigration {
 *     override async up(): Promise<void> {
 *       this.ddl({
 *         mysql: ['alter table `errands` add `note_seen_at` bigint null;'],
 *         sqlite: ['alter table `errands` add column `note_seen_at` bigint null;'],
 *       });
 *     }
 *   }
 *
 * then list it in `index.ts`. One statement per string (SQLite prepares one at a time). Write the
 * SQLite side the way MikroORM would create it from the entities (`text` for varchar, `integer`
 * for int and boolean, `text check (col in (...))` for enums, `create [unique] index`): the tests
 * compare both migrated schemas with the entities and fail on any drift. SQLite cannot alter a
 * column or an enum's check in place; rebuild the table with `sqliteRebuildTable` instead.
 * SQLite runs all pending migrations in one transaction; MySQL commits DDL as it goes.
 */
export abstract class DialectMigration extends Migration {
  protected ddl(statements: { mysql: readonly string[]; sqlite: readonly string[] }): void {
    for (const sql of this.driver.getPlatform() instanceof BaseSqlitePlatform ? statements.sqlite : statements.mysql) this.addSql(sql);
  }
}

/**
 * SQLite statements that give `table` a new definition while keeping its rows and ids: create
 * the new table beside it, copy `columns` across, swap, and recreate its indexes (dropped with the
 * old table). `createTable` is the full `create table \`<table>\` (...)` as MikroORM would write it.
 */
export function sqliteRebuildTable(table: string, createTable: string, columns: readonly string[], indexes: readonly string[]): string[] {
  const temp = `${table}__rebuild`;
  const list = columns.map((c) => `\`${c}\``).join(', ');
  const created = createTable.replace(new RegExp(`^\\s*create table \`${table}\``, 'i'), `create table \`${temp}\``);
  if (created === createTable) throw new Error(`sqliteRebuildTable: expected "create table \`${table}\` (...)"`);
  return [
    created,
    `insert into \`${temp}\` (${list}) select ${list} from \`${table}\`;`,
    // Carry the auto-increment counter over, so ids of deleted rows are never handed out again.
    `delete from sqlite_sequence where name = '${temp}';`,
    `insert into sqlite_sequence (name, seq) select '${temp}', seq from sqlite_sequence where name = '${table}';`,
    `drop table \`${table}\`;`,
    `alter table \`${temp}\` rename to \`${table}\`;`,
    ...indexes,
  ];
}
