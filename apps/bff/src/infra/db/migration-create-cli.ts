// Writes a new migration by diffing the entities against the MySQL database at DATABASE_URL.
// Usage: DATABASE_URL=mysql://root@127.0.0.1:3306/linli_dev npm run migration:create -w @linli/bff [-- --initial]
import { MikroORM } from '@mikro-orm/mysql';
import { loadConfig } from '../../config';
import { mysqlOptions } from './orm';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.db.url) throw new Error('Set DATABASE_URL to a MySQL database to diff against');
  const orm = await MikroORM.init(mysqlOptions(config));
  try {
    await orm.getMigrator().up();
    const initial = process.argv.includes('--initial');
    const result = await orm.getMigrator().createMigration(undefined, false, initial);
    console.log(result.fileName ? `wrote ${result.fileName}; add it to migrations/index.ts` : 'schema is up to date');
  } finally {
    await orm.close(true);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
