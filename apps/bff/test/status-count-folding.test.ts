import mysql from 'mysql2/promise';
import { FOLDING_LOCK, StatusCountCompactor } from '../src/modules/errands/status-counts';
import { startTestApp, type TestApp } from './support/harness';

// Housekeeping in every instance folds the status counts' delta rows. Two instances folding two
// groups at once deadlocked (each fold scanned into rows the other held), so one folds at a time,
// under a lock named for the database (MySQL only: SQLite has one process and one writer).
describe('folding status counts on mysql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mysql', 'status_count_folding');
    await t.app.linli.jobs.stop(); // this test's compactors are the only ones
  });
  afterAll(() => t.close());

  const groups = [
    ['pending', 'yellow'],
    ['pending', 'red'],
    ['offered', 'yellow'],
  ] as const;
  /** Rows per group and their sum, for every group above. */
  const snapshot = () =>
    t.sql<{ status: string; sla_tier: string; n: unknown; total: unknown }>(
      `SELECT status, sla_tier, COUNT(*) AS n, SUM(delta) AS total FROM errand_status_counts
        WHERE community_id = 1 GROUP BY status, sla_tier ORDER BY status, sla_tier`,
    );
  const addDeltas = async (perGroup: number) => {
    const rows = Array.from({ length: perGroup }, (_, i) => groups.map(([status, tier]) => [status, tier, i % 2 === 0 ? 1 : -1])).flat();
    await t.sql(
      `INSERT INTO errand_status_counts (community_id, status, sla_tier, delta) VALUES ${rows.map(() => '(1, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
  };

  it('leaves the rows to the instance already folding, then folds them on its next pass', async () => {
    await addDeltas(50);
    const before = await snapshot();
    const compactor = new StatusCountCompactor(t.app.linli.db);

    // Another instance is in the middle of its pass: it holds the lock.
    const other = await mysql.createConnection(t.app.linli.config.db.url!);
    try {
      const lock = t.app.linli.db.sqlDialect.namedLock(FOLDING_LOCK)!;
      const [[taken]] = (await other.query(lock.take)) as unknown as [[{ held: number }]];
      expect(Number(taken.held)).toBe(1);
      expect(await compactor.compact()).toBe(0);
      expect(await snapshot()).toEqual(before);
    } finally {
      await other.end(); // a closed connection lets its lock go
    }

    expect(await compactor.compact()).toBeGreaterThanOrEqual(3 * 49);
    const after = await snapshot();
    expect(after.map((g) => [g.status, g.sla_tier, Number(g.n), Number(g.total)])).toEqual(
      before.map((g) => [g.status, g.sla_tier, 1, Number(g.total)]),
    );
  });

  it('keeps every sum exact with two instances folding as deltas arrive', async () => {
    const [a, b] = [new StatusCountCompactor(t.app.linli.db), new StatusCountCompactor(t.app.linli.db)];
    const retriesBefore = t.app.linli.db.lockConflictRetries;
    for (let round = 0; round < 5; round++) {
      await addDeltas(40);
      const before = await snapshot();
      await Promise.all([a.compact(), b.compact(), a.compact(), b.compact()]);
      expect((await snapshot()).map((g) => [g.status, g.sla_tier, Number(g.total)])).toEqual(
        before.map((g) => [g.status, g.sla_tier, Number(g.total)]),
      );
    }
    expect(t.app.linli.db.lockConflictRetries - retriesBefore).toBe(0); // no deadlock had to be retried
  });
});
