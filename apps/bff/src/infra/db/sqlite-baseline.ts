import type { MikroORM, Options } from '@mikro-orm/core';
import { MikroORM as SqliteORM } from '@mikro-orm/better-sqlite';
import { MIGRATIONS } from './migrations';
import { describeSqliteSchema, sqliteSchemaDifferences, type ReadSql, type SqliteSchema } from './sqlite-schema';

const reader =
  (orm: MikroORM): ReadSql =>
  (sql) =>
    orm.em.getConnection().execute<Record<string, unknown>[]>(sql, [], 'all');

/**
 * Earlier builds made the embedded file's schema by diffing the entities at every start; now it
 * runs the migrations instead. A file such a build created has every table but no migration history, so
 * the migrator would try to create them again. This finds the point of the history whose schema
 * the file has exactly (replaying the migrations one by one on a scratch in-memory database and
 * comparing), records those migrations as applied, and leaves the newer ones to the migrator.
 * A file that matches no point is refused, unchanged, rather than guessed at.
 *
 * Returns the migrations recorded (none for a new file or one that already has a history).
 */
export async function adoptSchemaDiffedFile(orm: MikroORM, scratchOptions: Options): Promise<string[]> {
  const read = reader(orm);
  const tables = (await read(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r) => String(r.name));
  if (tables.every((t) => t.startsWith('sqlite_') || t === 'mikro_orm_migrations')) return [];
  // An empty history beside tables is an adoption that died between creating it and filling it.
  if (tables.includes('mikro_orm_migrations') && (await read('SELECT id FROM mikro_orm_migrations LIMIT 1')).length > 0) return [];

  const actual = await describeSqliteSchema(read);
  const applied = await historyMatching(actual, scratchOptions);

  const migrator = orm.getMigrator();
  await migrator.getExecutedMigrations(); // creates the (empty) history table
  await orm.em.getConnection().transactional(async (trx) => {
    for (const name of applied) {
      await orm.em.getConnection().execute('INSERT INTO mikro_orm_migrations (name) VALUES (?)', [name], 'run', trx);
    }
  });
  return applied;
}

/** The migrations, in order, after which the schema is exactly `actual`; throws if there is none. */
async function historyMatching(actual: SqliteSchema, scratchOptions: Options): Promise<string[]> {
  const scratch = await SqliteORM.init(scratchOptions);
  try {
    let closest: { through: string; differences: string[] } | null = null;
    for (let i = 0; i < MIGRATIONS.length; i++) {
      const name = MIGRATIONS[i]!.name;
      await scratch.getMigrator().up({ to: name });
      const differences = sqliteSchemaDifferences(actual, await describeSqliteSchema(reader(scratch)));
      if (differences.length === 0) return MIGRATIONS.slice(0, i + 1).map((m) => m.name);
      if (!closest || differences.length <= closest.differences.length) closest = { through: name, differences };
    }
    throw new Error(
      `The SQLite file has tables but no migration history, and its schema matches no point of the history ` +
        `(closest: through ${closest?.through}; ${closest?.differences.slice(0, 8).join('; ')}). ` +
        `It was left unchanged; move it away to start afresh.`,
    );
  } finally {
    await scratch.close(true);
  }
}
