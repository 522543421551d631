// `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded SQLite file (SQLITE_PATH).
import { loadConfig } from '../../config';
import { openDatabase } from './orm';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, { migrate: true });
  const where = config.db.url ? config.db.url.replace(/\/\/[^@]*@/, '//***@') : config.db.sqlitePath;
  console.log(`schema up to date on ${db.dialect} (${where})`);
  await db.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
