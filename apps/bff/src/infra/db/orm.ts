import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Options } from '@mikro-orm/core';
import { MikroORM as MySqlORM, MySqlDriver } from '@mikro-orm/mysql';
import { MikroORM as SqliteORM, BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { createPool } from 'mysql2/promise';
import type { Config } from '../../config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { Database } from './database';
import { adoptSchemaDiffedFile } from './sqlite-baseline';

export interface OpenDatabaseOptions {
  /** Apply pending migrations (both databases run the same ones). Default true. */
  migrate?: boolean;
}

function baseOptions(config: Config): Partial<Options> {
  return {
    entities: ENTITIES,
    debug: config.db.debug,
    allowGlobalContext: true,
    discovery: { warnWhenNoEntities: false },
  };
}

/** The one migration history (`migrations/index.ts`); each migration picks its dialect's DDL. */
function migrationOptions(transactional: boolean): Options['migrations'] {
  return {
    migrationsList: MIGRATIONS,
    transactional,
    allOrNothing: transactional,
    path: path.join(__dirname, 'migrations'),
    pathTs: path.join(__dirname, 'migrations'),
    emit: 'ts',
    snapshot: false,
    silent: true,
  };
}

export function mysqlOptions(config: Config): Options {
  return {
    ...baseOptions(config),
    driver: MySqlDriver,
    clientUrl: config.db.url!,
    pool: { min: 0, max: 2 },
    extensions: [Migrator],
    // MySQL commits DDL implicitly, so a wrapping transaction would only pretend.
    migrations: migrationOptions(false),
  } as Options;
}

/**
 * SQLite DDL is transactional: every pending migration and its history row commit together, so
 * a crash while migrating leaves the file as it was before, never half-migrated.
 */
export function sqliteOptions(config: Config, file = config.db.sqlitePath): Options {
  return {
    ...baseOptions(config),
    driver: BetterSqliteDriver,
    dbName: file,
    extensions: [Migrator],
    migrations: migrationOptions(true),
  } as Options;
}

/** Opens MySQL when `db.url` is set, otherwise the embedded SQLite file, and brings the schema up to date. */
export async function openDatabase(config: Config, options: OpenDatabaseOptions = {}): Promise<Database> {
  const migrate = options.migrate ?? true;
  const url = config.db.url;
  if (url) {
    const orm = await MySqlORM.init(mysqlOptions(config));
    if (migrate) await orm.getMigrator().up();
    // Statements go through this pool; MikroORM's own connections only migrate.
    // trace off: capturing a stack for every query cost ~7 % of the create path's CPU (profiled).
    const poolOf = (multipleStatements: boolean) =>
      createPool({
        uri: url,
        connectionLimit: config.db.poolMax,
        maxIdle: config.db.poolMax,
        enableKeepAlive: true,
        trace: false,
        connectTimeout: config.db.connectTimeoutMs,
        // Past this many waiting statements the next gets 503 at once, rather than joining a queue that cannot drain.
        queueLimit: config.db.queueLimit,
        multipleStatements,
        // Every statement is sent as text (`query`), never prepared; mysql2 would still allocate a
        // 16,000-entry statement cache per connection (12.7 MB of live heap for the two pools, profiled),
        // which every major GC has to mark.
        maxPreparedStatements: 1,
      });
    // The second pool sends a batched transaction's statements in one packet (Database.transaction,
    // `batched`); every other statement goes through the first, which refuses stacked statements.
    const limits = { acquireTimeoutMs: config.db.acquireTimeoutMs, queryTimeoutMs: config.db.queryTimeoutMs };
    return new Database(orm, 'mysql', poolOf(false), limits, poolOf(true));
  }
  const file = config.db.sqlitePath;
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const orm = await SqliteORM.init(sqliteOptions(config, file));
  try {
    // WAL lets readers proceed while one writer commits; the embedded mode has a single writer anyway.
    await orm.em.getConnection().execute('PRAGMA journal_mode = WAL');
    // Never a schema diff here: the same migrations as MySQL, after adopting a file an older
    // build created by diffing (it has tables but no migration history).
    if (migrate) {
      await adoptSchemaDiffedFile(orm, sqliteOptions(config, ':memory:'));
      await orm.getMigrator().up();
    }
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  return new Database(orm, 'sqlite');
}
