import { loadConfig } from '../src/config';
import { BatchGuardError, type Database } from '../src/infra/db/database';
import { openDatabase } from '../src/infra/db/orm';
import { createMysqlDatabase, type TestDatabase } from './support/databases';

// Each member of the dialect object run on the database it speaks to: the fragments must mean
// the same thing on MySQL and SQLite, which is the whole point of keeping them in one place.
describe.each(['mysql', 'sqlite'] as const)('the %s dialect object', (dialect) => {
  let mysql: TestDatabase | null = null;
  let db: Database;
  beforeAll(async () => {
    if (dialect === 'mysql') mysql = await createMysqlDatabase('dialect');
    db = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: mysql?.url ?? null, sqlitePath: ':memory:' } }), {
      migrate: false,
    });
    await db.run('CREATE TABLE dialect_probe (k INTEGER NOT NULL PRIMARY KEY, n INTEGER NOT NULL, label VARCHAR(20) NOT NULL)');
  });
  afterAll(async () => {
    await db.close();
    await mysql?.drop();
  });

  it('is reachable from the database and from a transaction, named after it', async () => {
    expect(db.sqlDialect.name).toBe(dialect);
    expect(await db.transaction(async (tx) => tx.sqlDialect.name)).toBe(dialect);
  });

  it('computes scalars alike', async () => {
    const d = db.sqlDialect;
    const row = await db.one<Record<string, unknown>>(
      `SELECT ${d.greatest('3', '7', '5')} AS g, ${d.least('3', '7', '5')} AS l, ${d.concat("'a'", "'b'", "'c'")} AS c,
              ${d.intDiv('17', '5')} AS q, ${d.jsonText(`'{"a":{"b":"x"}}'`, '$.a.b')} AS j,
              ${d.shanghaiDay('1764518400000')} AS late, ${d.shanghaiDay('1764518399999')} AS early`,
    );
    // 2025-11-30T16:00:00Z is 2025-12-01 00:00 in Shanghai; a millisecond before is still 11-30.
    expect(row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]))).toEqual({
      g: '7',
      l: '3',
      c: 'abc',
      q: '3',
      j: 'x',
      late: '20251201',
      early: '20251130',
    });
  });

  it('upserts, ignores duplicates and locks within a transaction', async () => {
    const d = db.sqlDialect;
    const bump = `INSERT INTO dialect_probe (k, n, label) VALUES (?, ?, ?)${d.upsert(['k'], { n: `n + ${d.excluded('n')}`, label: d.excluded('label') })}`;
    await db.run(bump, [1, 2, 'first']);
    await db.run(bump, [1, 3, 'second']);
    await db.run(`${d.insertIgnore} INTO dialect_probe (k, n, label) VALUES (?, ?, ?)`, [1, 100, 'ignored']);
    const locked = await db.transaction((tx) => tx.one(`SELECT n, label FROM dialect_probe WHERE k = ?${tx.sqlDialect.forUpdate}`, [1]));
    expect(locked).toEqual({ n: 5, label: 'second' });
    const claimed = await db.transaction((tx) => tx.all(`SELECT k FROM dialect_probe ORDER BY k${tx.sqlDialect.forUpdateSkipLocked}`));
    expect(claimed).toEqual([{ k: 1 }]);
  });

  it('stops a guarded batch at a write that changed another number of rows than required, and commits none of it', async () => {
    await db.run('INSERT INTO dialect_probe (k, n, label) VALUES (21, 0, ?), (22, 0, ?), (23, 0, ?)', ['g', 'g', 'g']);
    const guarded = (required: number) =>
      db.transaction(
        (tx) =>
          tx.batch(
            [
              { sql: 'UPDATE dialect_probe SET n = 1 WHERE k IN (21, 22)', params: [], requireRows: required },
              { sql: 'UPDATE dialect_probe SET n = 9 WHERE k = 23', params: [] },
            ],
            { commit: true },
          ),
        { batched: true },
      );
    const values = async () =>
      (await db.all<{ n: unknown }>('SELECT n FROM dialect_probe WHERE k > 20 ORDER BY k')).map((r) => Number(r.n));
    await expect(guarded(3)).rejects.toBeInstanceOf(BatchGuardError);
    expect(await values()).toEqual([0, 0, 0]);
    await guarded(2);
    expect(await values()).toEqual([1, 1, 9]);
  });

  it('matches a literal percent sign through the LIKE escape', async () => {
    const d = db.sqlDialect;
    await db.run('INSERT INTO dialect_probe (k, n, label) VALUES (?, ?, ?), (?, ?, ?)', [10, 0, '50%', 11, 0, '500']);
    const rows = await db.all(`SELECT k FROM dialect_probe WHERE label LIKE ?${d.likeEscape} ORDER BY k`, ['50\\%']);
    expect(rows).toEqual([{ k: 10 }]);
  });
});
