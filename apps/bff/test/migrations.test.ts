import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { MikroORM } from '@mikro-orm/mysql';
import { MikroORM as SqliteORM } from '@mikro-orm/better-sqlite';
import { defineEntity, p } from '@mikro-orm/core';
import { LOCKDOWN_STATUSES } from '@linli/contracts';
import { loadConfig } from '../src/config';
import { mysqlOptions, openDatabase, sqliteOptions } from '../src/infra/db/orm';
import { MIGRATIONS } from '../src/infra/db/migrations';
import { DialectMigration } from '../src/infra/db/migrations/dialect-migration';
import { ENTITIES } from '../src/infra/db/entities';
import { Community, Compound } from '../src/modules/community/entities';
import { describeSqliteSchema } from '../src/infra/db/sqlite-schema';
import { sqliteMigrationStatements, sqliteSchemaDrift } from '../src/infra/db/sqlite-schema-diff';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { TEST_MYSQL_URL } from './support/env';

/** Columns and indexes of a database, as the server itself reports them. */
async function describeSchema(name: string): Promise<unknown> {
  const conn = await mysql.createConnection(TEST_MYSQL_URL);
  try {
    const [columns] = await conn.query(
      `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, COLLATION_NAME, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_KEY, EXTRA
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> 'mikro_orm_migrations'
        ORDER BY TABLE_NAME, COLUMN_NAME`,
      [name],
    );
    const [indexes] = await conn.query(
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> 'mikro_orm_migrations'
        ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      [name],
    );
    return { columns, indexes };
  } finally {
    await conn.end();
  }
}

describe('MySQL migrations', () => {
  let migrated: TestDatabase;
  let fromEntities: TestDatabase;
  beforeAll(async () => {
    migrated = await createMysqlDatabase('migrated');
    fromEntities = await createMysqlDatabase('entities');
  });
  afterAll(async () => {
    await migrated.drop();
    await fromEntities.drop();
  });

  it('build exactly the schema the entities describe, and apply once', async () => {
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: migrated.url } });
    await (await openDatabase(config)).close();
    // Starting again finds nothing pending.
    const orm = await MikroORM.init(mysqlOptions(config));
    try {
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
      expect((await orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await orm.close(true);
    }

    const direct = await MikroORM.init(mysqlOptions(loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: fromEntities.url } })));
    try {
      await direct.getSchemaGenerator().createSchema();
    } finally {
      await direct.close(true);
    }
    const expected = await describeSchema(fromEntities.name);
    expect(await describeSchema(migrated.name)).toEqual(expected);
    expect((expected as { columns: unknown[] }).columns.length).toBeGreaterThan(50);
  });
});

describe('SQLite migrations', () => {
  const config = loadConfig({ LINLI_CONFIG: 'test' });
  const readerOf =
    (orm: { em: { getConnection(): { execute(sql: string, p: unknown[], m: 'all'): Promise<unknown> } } }) => (sql: string) =>
      orm.em.getConnection().execute(sql, [], 'all') as Promise<Record<string, unknown>[]>;

  it('every migration carries DDL for MySQL and SQLite', () => {
    for (const m of MIGRATIONS) expect([m.name, m.class.prototype instanceof DialectMigration]).toEqual([m.name, true]);
  });

  it('build exactly the schema the entities describe: nothing left for a schema diff, same columns, checks and keys', async () => {
    const db = await openDatabase(config); // :memory:, through the migrations
    const direct = await SqliteORM.init(sqliteOptions(config, ':memory:'));
    try {
      expect((await db.orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await sqliteSchemaDrift(db.orm)).toBe('');

      await direct.getSchemaGenerator().createSchema();
      const expected = await describeSqliteSchema(readerOf(direct));
      expect(await describeSqliteSchema(readerOf(db.orm))).toEqual(expected);
      expect(Object.keys(expected).length).toBe(ENTITIES.length);
      // The checks and keys SQL relies on: enums refuse unknown values, unique keys back INSERT OR IGNORE.
      expect(expected.compounds!.checks).toEqual(["lockdown in ('normal', 'controlled', 'closed')"]);
      expect(expected.notifications!.indexes.notifications_event_seq_unique).toBe('unique (event_seq)');
      expect(expected.wechat_access_tokens!.columns.app_id).toMatch(/pk 1$/);
      await expect(db.run("INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (1, 'x', 'sealed', 0)")).rejects.toThrow(
        /CHECK constraint failed/,
      );
    } finally {
      await direct.close(true);
      await db.close();
    }
  });

  it('the drift check catches an entity changed without a SQLite migration (new table, new column, new enum value), and the generated SQLite migration clears it', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'linli-drift-')), 'migrated.sqlite');
    await (await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: { sqlitePath: file } }))).close();
    const driftWith = async (entities: unknown[]) => {
      const orm = await SqliteORM.init({ ...sqliteOptions(config, file), entities } as never);
      try {
        return await sqliteSchemaDrift(orm);
      } finally {
        await orm.close(true);
      }
    };
    const CompoundWithNewValue = defineEntity({
      name: 'Compound',
      tableName: 'compounds',
      properties: {
        id: p.integer().primary().autoincrement(),
        communityId: p.integer().index(),
        name: p.string().length(50),
        lockdown: p.enum([...LOCKDOWN_STATUSES, 'sealed']).default('normal'),
        updatedAt: p.bigint('number'),
      },
    });
    const CommunityWithNewColumn = defineEntity({
      name: 'Community',
      tableName: 'communities',
      properties: {
        id: p.integer().primary().autoincrement(),
        name: p.string().length(50),
        street: p.string().length(50),
        district: p.string().length(50),
        createdAt: p.bigint('number'),
        motto: p.string().length(50).nullable(),
      },
    });
    const NewEntity = defineEntity({ name: 'Unmigrated', tableName: 'unmigrated', properties: { id: p.integer().primary() } });
    const replacing = (old: unknown, now: unknown) => ENTITIES.map((e) => (e === old ? now : e));

    expect(await driftWith([...ENTITIES])).toBe('');
    expect(await driftWith([...ENTITIES, NewEntity])).toMatch(/create table `unmigrated`/);
    expect(await driftWith(replacing(Community, CommunityWithNewColumn))).toMatch(/`motto`/);
    expect(await driftWith(replacing(Compound, CompoundWithNewValue))).toMatch(/'sealed'/);

    // What `npm run migration:create` would write as the SQLite half of that change, applied as the
    // migrator does (one transaction), leaves nothing to diff and keeps the rows and their ids.
    const orm = await SqliteORM.init({ ...sqliteOptions(config, file), entities: replacing(Compound, CompoundWithNewValue) } as never);
    try {
      const run = (sql: string, trx?: unknown) => orm.em.getConnection().execute(sql, [], 'all', trx as never);
      await run(`INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (1, '甲', 'closed', 1), (1, '乙', 'normal', 1)`);
      await run(`DELETE FROM compounds WHERE name = '乙'`);
      const statements = sqliteMigrationStatements(await sqliteSchemaDrift(orm));
      await orm.em.getConnection().transactional(async (trx) => {
        for (const sql of statements) await run(sql, trx);
      });
      expect(await sqliteSchemaDrift(orm)).toBe('');
      await run(`INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (1, '丙', 'sealed', 2)`);
      expect(await run('SELECT id, lockdown FROM compounds ORDER BY id')).toEqual([
        { id: 1, lockdown: 'closed' },
        { id: 3, lockdown: 'sealed' },
      ]);
    } finally {
      await orm.close(true);
    }
  });
});
