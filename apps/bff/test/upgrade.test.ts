import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MikroORM, Options } from '@mikro-orm/core';
import { MikroORM as MySqlORM } from '@mikro-orm/mysql';
import { MikroORM as SqliteORM } from '@mikro-orm/better-sqlite';
import { loadConfig, type Config } from '../src/config';
import { mysqlOptions, openDatabase, sqliteOptions } from '../src/infra/db/orm';
import { MIGRATIONS } from '../src/infra/db/migrations';
import { sqliteRebuildTable } from '../src/infra/db/migrations/dialect-migration';
import { numberNextEvents } from '../src/modules/live/sequence-store';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { DIALECTS, type Dialect } from './support/harness';

const tempFile = (label: string) => path.join(mkdtempSync(path.join(tmpdir(), `linli-${label}-`)), 'linli.sqlite');
const exec = (orm: MikroORM, sql: string, params: unknown[] = []) => orm.em.getConnection().execute(sql, params, 'all');

/**
 * A fresh database of `dialect` for one describe block (a scratch MySQL database, or an embedded
 * file), dropped after it; `config()` points at it once the block has started.
 */
function databaseForBlock(dialect: Dialect, label: string): { config: () => Config } {
  let database: TestDatabase | null = null;
  let config: Config | null = null;
  beforeAll(async () => {
    database = dialect === 'mysql' ? await createMysqlDatabase(label) : null;
    config = loadConfig({ LINLI_CONFIG: 'test' }, { db: database ? { url: database.url } : { sqlitePath: tempFile(label) } });
  });
  afterAll(async () => {
    await database?.drop();
  });
  return { config: () => config! };
}

/** The ORM as an older build opened the database: migrations only, run by the test. */
const olderBuild = async (dialect: Dialect, config: Config): Promise<MikroORM> =>
  dialect === 'mysql' ? await MySqlORM.init(mysqlOptions(config)) : await SqliteORM.init(sqliteOptions(config));

const ERRAND_ROW = `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
     urgency, status, handover_code, created_at, updated_at)
   VALUES ('old-errand-0000000001', 1, 1, 1, 1, 1, 'water', '[]', 0, 'normal', 'pending', '1234', 1000, 1000)`;

describe.each(DIALECTS)('upgrading a %s database an older build migrated', (dialect) => {
  const block = databaseForBlock(dialect, 'upgrade');

  it('applies only the newer migrations and keeps the rows', async () => {
    const config = block.config();
    const old = await olderBuild(dialect, config);
    try {
      await old.getMigrator().up({ to: MIGRATIONS[0]!.name });
      await exec(old, `INSERT INTO communities (name, street, district, created_at) VALUES ('老社区', '老街道', '老区', 1000)`);
      await exec(old, ERRAND_ROW);
    } finally {
      await old.close(true);
    }

    const db = await openDatabase(config);
    try {
      expect((await db.orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await db.all('SELECT name FROM communities')).toEqual([{ name: '老社区' }]);
      // The levels migration turns the text names into a district and a street the community points at.
      const level = await db.one(
        `SELECT d.name AS district, s.name AS street, c.district_id = d.id AS same_district
           FROM communities c JOIN streets s ON s.id = c.street_id JOIN districts d ON d.id = s.district_id`,
      );
      expect({ ...level, same_district: Number(level?.same_district) }).toEqual({ district: '老区', street: '老街道', same_district: 1 });
      const errand = await db.one('SELECT status, attempt_start_round, minimised_at FROM errands');
      expect({ ...errand, attempt_start_round: Number(errand!.attempt_start_round) }).toEqual({
        status: 'pending',
        attempt_start_round: 1,
        minimised_at: null,
      });
      // The statistics migration builds the roll-ups from the errands already there.
      const counted = await db.all('SELECT community_id, day, category, created FROM stats_category_daily');
      expect(counted.map((r) => ({ ...r, community_id: Number(r.community_id), day: Number(r.day), created: Number(r.created) }))).toEqual([
        { community_id: 1, day: 19700101, category: 'water', created: 1 },
      ]);
      // The SLA migration gives the old errand its tier by the default rule (water: yellow, 24 h) and counts it.
      const sla = await db.one('SELECT sla_tier, due_at FROM errands');
      expect({ ...sla, due_at: Number(sla!.due_at) }).toEqual({ sla_tier: 'yellow', due_at: 1000 + 24 * 3_600_000 });
      const countedByTier = await db.one(
        "SELECT SUM(delta) AS n FROM errand_status_counts WHERE status = 'pending' AND sla_tier = 'yellow'",
      );
      expect(Number(countedByTier!.n)).toBe(1);
      // The website-login migration's table is there and empty: the QR login can spend states at once.
      expect(Number((await db.one('SELECT COUNT(*) AS n FROM website_login_states'))!.n)).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe.each(DIALECTS)('a %s database the previous release migrated, with events in its outbox', (dialect) => {
  const block = databaseForBlock(dialect, 'upgrade-outbox');

  it('takes the plain seq index, keeps the events, numbers on densely, and starts again on the same data', async () => {
    const config = block.config();
    const old = await olderBuild(dialect, config);
    const before = MIGRATIONS.findIndex((m) => m.name === 'Migration20261130110000_outbox_seq_index') - 1;
    try {
      await old.getMigrator().up({ to: MIGRATIONS[before]!.name });
      await exec(old, 'INSERT INTO event_sequence (id, last_seq, pruned_through) VALUES (1, 2, 0)');
      await exec(
        old,
        `INSERT INTO outbox_events (seq, type, community_id, created_at) VALUES (1, 'queue.changed', 1, 1000), (2, 'queue.changed', 1, 1001), (NULL, 'queue.changed', 1, 1002)`,
      );
    } finally {
      await old.close(true);
    }

    const seqIndexes =
      dialect === 'mysql'
        ? "SELECT DISTINCT index_name AS name, NOT non_unique AS `unique` FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'outbox_events' AND column_name = 'seq'"
        : "SELECT name, \"unique\" FROM pragma_index_list('outbox_events') WHERE name LIKE '%seq%'";
    const indexes = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
      (await db.all<{ name: string; unique: unknown }>(seqIndexes)).map((r) => ({ name: r.name, unique: Number(r.unique) === 1 }));

    const first = await openDatabase(config);
    try {
      expect((await first.orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await indexes(first)).toEqual([{ name: 'outbox_events_seq_index', unique: false }]);
      const numbered = await first.transaction((tx) => numberNextEvents(tx, 10), { batched: true });
      expect(numbered.map((e) => e.seq)).toEqual([3]);
    } finally {
      await first.close();
    }

    const again = await openDatabase(config);
    try {
      expect(await again.orm.getMigrator().getPendingMigrations()).toEqual([]);
      expect(await indexes(again)).toEqual([{ name: 'outbox_events_seq_index', unique: false }]);
      const seqs = await again.all<{ seq: unknown }>('SELECT seq FROM outbox_events ORDER BY id');
      expect(seqs.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
      expect(Number((await again.one<{ s: unknown }>('SELECT last_seq AS s FROM event_sequence WHERE id = 1'))!.s)).toBe(3);
    } finally {
      await again.close();
    }
  });
});

describe('an embedded file an older build made by diffing the entities (no migration history)', () => {
  const config = loadConfig({ LINLI_CONFIG: 'test' });

  /** Builds the file exactly as the previous build did at start: updateSchema on the entities. */
  async function schemaDiffedFile(change: (orm: MikroORM) => Promise<void>): Promise<string> {
    const file = tempFile('legacy');
    const orm = await SqliteORM.init({ ...sqliteOptions(config, file), extensions: [] } as Options);
    try {
      await orm.getSchemaGenerator().updateSchema();
      await change(orm);
    } finally {
      await orm.close(true);
    }
    return file;
  }

  it('from a build before the notifications migration: records the history it has, applies the rest, keeps the rows', async () => {
    const file = await schemaDiffedFile(async (orm) => {
      // What the build of the outbox migration created: no notifications yet, no minimised_at.
      await exec(orm, 'DROP TABLE notifications');
      await exec(orm, 'DROP TABLE wechat_access_tokens');
      await exec(orm, 'DROP INDEX errands_public_id_unique');
      await exec(orm, 'ALTER TABLE errands DROP COLUMN minimised_at');
      // Columns added by migrations after the previous build's last one (retention) go as well.
      await exec(orm, 'ALTER TABLE errands DROP COLUMN handover_failures');
      await exec(orm, 'ALTER TABLE communities DROP COLUMN duty_phone');
      await exec(orm, 'DROP TABLE privacy_bindings');
      await exec(orm, 'DROP TABLE household_change_requests');
      await exec(orm, 'DROP TABLE errand_status_counts');
      await exec(orm, 'DROP INDEX errands_sla_queue_index');
      await exec(orm, 'DROP INDEX errands_history_index');
      await exec(orm, 'DROP INDEX households_community_contact_index');
      await exec(orm, 'DROP INDEX errands_household_history_index');
      await exec(orm, 'DROP INDEX errands_history_helper_index');
      await exec(orm, 'DROP INDEX errands_history_building_index');
      await exec(orm, 'DROP INDEX errands_history_compound_index');
      await exec(orm, 'DROP INDEX errands_history_category_index');
      await exec(orm, 'CREATE INDEX `errands_household_id_index` ON `errands` (`household_id`)');
      await exec(orm, 'ALTER TABLE errands DROP COLUMN sla_tier');
      await exec(orm, 'ALTER TABLE errands DROP COLUMN due_at');
      // Before the SLA migration, deadlines had no sla_due kind.
      for (const sql of sqliteRebuildTable(
        'deadlines',
        "create table `deadlines` (`id` integer not null primary key autoincrement, `kind` text check (`kind` in ('round_end', 'dispatch_retry', 'auto_confirm')) not null, `errand_id` bigint not null, `community_id` integer not null, `round` integer not null, `priority` integer not null, `due_at` bigint not null, `created_at` bigint not null);",
        ['id', 'kind', 'errand_id', 'community_id', 'round', 'priority', 'due_at', 'created_at'],
        [
          'create index `deadlines_due_at_index` on `deadlines` (`due_at`);',
          'create unique index `deadlines_errand_id_kind_round_unique` on `deadlines` (`errand_id`, `kind`, `round`);',
        ],
      )) {
        await exec(orm, sql);
      }
      await exec(orm, 'DROP INDEX errands_staff_queue_index');
      await exec(orm, 'ALTER TABLE errands DROP COLUMN queue_rank');
      await exec(orm, 'CREATE INDEX `errands_community_id_status_index` ON `errands` (`community_id`, `status`)');
      await exec(orm, 'DROP TABLE audit_log');
      await exec(orm, 'DROP TABLE districts');
      await exec(orm, 'DROP TABLE streets');
      await exec(orm, 'DROP INDEX communities_street_id_index');
      await exec(orm, 'DROP INDEX communities_district_id_index');
      await exec(orm, 'ALTER TABLE communities DROP COLUMN street_id');
      await exec(orm, 'ALTER TABLE communities DROP COLUMN district_id');
      await exec(orm, 'ALTER TABLE users DROP COLUMN staff_level');
      await exec(orm, 'ALTER TABLE users DROP COLUMN staff_scope_id');
      await exec(orm, 'DROP TABLE care_assignments');
      await exec(orm, 'DROP TABLE care_visits');
      await exec(orm, 'DROP TABLE recurring_tasks');
      await exec(orm, 'ALTER TABLE households DROP COLUMN chronic_medication');
      await exec(orm, 'ALTER TABLE households DROP COLUMN infants');
      await exec(orm, 'ALTER TABLE households DROP COLUMN pregnancy');
      for (const table of [
        'stats_category_daily',
        'stats_compound_daily',
        'stats_latency_daily',
        'stats_helper_daily',
        'stats_household_days',
      ]) {
        await exec(orm, `DROP TABLE ${table}`);
      }
      await exec(orm, 'DROP TABLE import_batches');
      await exec(orm, 'DROP TABLE import_batch_rows');
      await exec(orm, 'DROP INDEX errands_export_index');
      await exec(orm, 'DROP TABLE notification_cursor');
      await exec(orm, 'DROP INDEX users_wechat_unionid_unique');
      await exec(orm, 'ALTER TABLE users DROP COLUMN wechat_unionid');
      await exec(orm, 'DROP TABLE website_login_states');
      await exec(orm, 'DROP INDEX outbox_events_seq_index');
      await exec(orm, 'CREATE UNIQUE INDEX `outbox_events_seq_unique` ON `outbox_events` (`seq`)');
      await exec(orm, 'CREATE UNIQUE INDEX `errands_public_id_unique` ON `errands` (`public_id`)');
      await exec(orm, ERRAND_ROW.replace('(public_id,', '(attempt_start_round, public_id,').replace("VALUES ('old", "VALUES (3, 'old"));
    });
    const db = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: { sqlitePath: file } }));
    try {
      const executed = (await db.orm.getMigrator().getExecutedMigrations()).map((m) => m.name);
      expect(executed).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await db.one('SELECT public_id, attempt_start_round, minimised_at FROM errands')).toEqual({
        public_id: 'old-errand-0000000001',
        attempt_start_round: 3,
        minimised_at: null,
      });
      expect(await db.all('SELECT COUNT(*) AS n FROM notifications')).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('is adopted even when an earlier adoption died after creating the empty history table', async () => {
    const file = await schemaDiffedFile(async (orm) => {
      await exec(
        orm,
        'CREATE TABLE `mikro_orm_migrations` (`id` integer not null primary key autoincrement, `name` varchar(255), `executed_at` datetime default CURRENT_TIMESTAMP)',
      );
      await exec(orm, ERRAND_ROW);
    });
    const db = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: { sqlitePath: file } }));
    try {
      expect((await db.orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await db.all('SELECT public_id FROM errands')).toEqual([{ public_id: 'old-errand-0000000001' }]);
    } finally {
      await db.close();
    }
  });

  it('that matches no point of the history is refused and left as it was', async () => {
    const file = await schemaDiffedFile(async (orm) => {
      await exec(orm, 'ALTER TABLE communities ADD COLUMN motto text null');
      await exec(orm, `INSERT INTO communities (name, street, district, created_at, motto) VALUES ('社区', '街道', '区', 1, '邻里')`);
    });
    await expect(openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: { sqlitePath: file } }))).rejects.toThrow(
      /matches no point of the history[\s\S]*communities\.motto: text \(expected none\)[\s\S]*left unchanged/,
    );
    const orm = await SqliteORM.init({ ...sqliteOptions(config, file), extensions: [] } as Options);
    try {
      expect(await exec(orm, `SELECT name FROM sqlite_master WHERE name = 'mikro_orm_migrations'`)).toEqual([]);
      expect(await exec(orm, 'SELECT motto FROM communities')).toEqual([{ motto: '邻里' }]);
    } finally {
      await orm.close(true);
    }
  });
});

describe('sqliteRebuildTable (how a SQLite migration changes an enum or a column)', () => {
  it('keeps the rows, the ids and the indexes, and takes the new definition', async () => {
    const db = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }));
    try {
      await db.run(
        `INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (1, '甲', 'closed', 1), (1, '乙', 'normal', 1)`,
      );
      await db.run(`DELETE FROM compounds WHERE name = '乙'`);
      const statements = sqliteRebuildTable(
        'compounds',
        "create table `compounds` (`id` integer not null primary key autoincrement, `community_id` integer not null, `name` text not null, `lockdown` text check (`lockdown` in ('normal', 'controlled', 'closed', 'sealed')) not null default 'normal', `updated_at` bigint not null);",
        ['id', 'community_id', 'name', 'lockdown', 'updated_at'],
        ['create index `compounds_community_id_index` on `compounds` (`community_id`);'],
      );
      await db.transaction(async (tx) => {
        for (const sql of statements) await tx.run(sql);
      });
      await db.run(`INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (1, '丙', 'sealed', 2)`);
      expect(await db.all('SELECT id, name, lockdown FROM compounds ORDER BY id')).toEqual([
        { id: 1, name: '甲', lockdown: 'closed' },
        { id: 3, name: '丙', lockdown: 'sealed' },
      ]);
      expect(await db.all(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'compounds'`)).toEqual([
        { name: 'compounds_community_id_index' },
      ]);
    } finally {
      await db.close();
    }
  });
});
