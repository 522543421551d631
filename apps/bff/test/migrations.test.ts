import mysql from 'mysql2/promise';
import { MikroORM } from '@mikro-orm/mysql';
import { loadConfig } from '../src/config';
import { mysqlOptions, openDatabase } from '../src/infra/db/orm';
import { MIGRATIONS } from '../src/infra/db/migrations';
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
