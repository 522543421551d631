// Writes a new migration for both databases by diffing the entities: the MySQL DDL against the
// database at DATABASE_URL, the SQLite DDL against a scratch in-memory SQLite database, each
// migrated first. Review both halves, then list the class in migrations/index.ts.
// Usage: DATABASE_URL=mysql://root@127.0.0.1:3306/linli_dev npm run migration:create -w @linli/bff -- <name>
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MikroORM as MySqlORM } from '@mikro-orm/mysql';
import { MikroORM as SqliteORM } from '@mikro-orm/better-sqlite';
import { loadConfig } from '../../config';
import { mysqlOptions, sqliteOptions } from './orm';
import { sqliteMigrationStatements, sqliteSchemaDrift } from './sqlite-schema-diff';

async function mysqlStatements(): Promise<string[]> {
  const config = loadConfig();
  if (!config.db.url) throw new Error('Set DATABASE_URL to a MySQL database to diff against');
  const orm = await MySqlORM.init(mysqlOptions(config));
  try {
    await orm.getMigrator().up();
    const sql = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    return sql
      .split(/;\s*\n|;\s*$/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => `${s};`);
  } finally {
    await orm.close(true);
  }
}

async function sqliteStatements(): Promise<string[]> {
  const orm = await SqliteORM.init(sqliteOptions(loadConfig(), ':memory:'));
  try {
    await orm.getMigrator().up();
    return sqliteMigrationStatements(await sqliteSchemaDrift(orm));
  } finally {
    await orm.close(true);
  }
}

async function main(): Promise<void> {
  const name = (process.argv[2] ?? 'change').replace(/\W/g, '_');
  const [mysql, sqlite] = [await mysqlStatements(), await sqliteStatements()];
  if (mysql.length === 0 && sqlite.length === 0) return console.log('schema is up to date');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const className = `Migration${stamp}_${name}`;
  const list = (statements: string[]) => statements.map((s) => `        ${JSON.stringify(s)},`).join('\n');
  const file = path.join(__dirname, 'migrations', `${className}.ts`);
  writeFileSync(
    file,
    `import { DialectMigration } from './dialect-migration';

/** TODO: why this change. */
export class ${className} extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
${list(mysql)}
      ],
      sqlite: [
${list(sqlite)}
      ],
    });
  }
}
`,
  );
  console.log(`wrote ${file}; review both halves and add it to migrations/index.ts`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
