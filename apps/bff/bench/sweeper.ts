// Deadline sweeper throughput: N offered errands whose round just ended, as after a burst of
// creates, and one instance's sweeper working through them (expire the offers, next round: find
// candidates, offer, schedule the next round_end). Deadlines handled per second, from the first
// pass to the last due one.
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { BENCH_HELPERS, BENCH_RESIDENTS, prepareDatabase } from './create';
import { dispatchOutcomes, REDIS_URL, searchWidening, table } from './common';

/** `count` offered errands of the demo community, each with a round_end deadline due now. */
export async function seedDueRounds(url: string, count: number, now: number): Promise<void> {
  const conn = await mysql.createConnection(url);
  try {
    const [households] = (await conn.query(
      `SELECT h.id, h.community_id, b.compound_id, h.building_id, (SELECT MIN(id) FROM users) AS user_id
         FROM households h JOIN buildings b ON b.id = h.building_id ORDER BY h.id`,
    )) as unknown as [{ id: number; community_id: number; compound_id: number; building_id: number; user_id: number }[]];
    if (households.length === 0) throw new Error('no households to seed errands for');
    const [[{ base }]] = (await conn.query('SELECT COALESCE(MAX(id), 10000000) AS base FROM errands')) as unknown as [[{ base: number }]];
    for (let start = 0; start < count; start += 1000) {
      const n = Math.min(1000, count - start);
      const errands = Array.from({ length: n }, (_, i) => {
        const h = households[(start + i) % households.length]!;
        const id = Number(base) + 1 + start + i;
        return [
          id,
          `sweep${String(id).padStart(17, '0')}`,
          h.community_id,
          h.compound_id,
          h.building_id,
          h.id,
          h.user_id,
          'parcel',
          '[{"name":"快递","quantity":1}]',
          0,
          'normal',
          0,
          'offered',
          '1234',
          1,
          1,
          1,
          1000,
          now - 200_000,
          now - 200_000,
        ];
      });
      await conn.query(
        `INSERT INTO errands (id, public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json,
                              heavy, urgency, vulnerable, status, handover_code, dispatch_round, attempt_start_round, version, queue_rank,
                              created_at, updated_at) VALUES ?`,
        [errands],
      );
      await conn.query('INSERT INTO deadlines (kind, errand_id, community_id, round, priority, due_at, created_at) VALUES ?', [
        errands.map((e) => ['round_end', e[0], e[2], 1, 0, now - 1, now - 200_000]),
      ]);
    }
  } finally {
    await conn.end();
  }
}

export async function benchSweeper(count = 5000): Promise<{ report: string; perSecond: number }> {
  const scratch = await prepareDatabase('sweeper', BENCH_HELPERS);
  const prefix = `linli:bench:${scratch.name}:`;
  const now = Date.now();
  try {
    const app = await buildApp({
      config: loadConfig(
        { LINLI_CONFIG: 'default' },
        {
          db: { url: scratch.url, poolMax: 20 },
          redis: { url: REDIS_URL, keyPrefix: prefix },
          dispatch: { sweepIntervalMs: 0 },
          // The residents below log in from one address, far faster than a person would.
          rateLimit: { loginPerMinute: 100_000_000, perIpPerMinute: 100_000_000 },
          log: { level: 'warn' },
        },
      ),
      now: () => now,
    });
    try {
      // Households all over the bench's city (create.ts), so the errands' next rounds look for
      // helpers in many neighbourhoods rather than all in the demo's compounds.
      for (let i = 0; i < BENCH_RESIDENTS; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/dev',
          payload: { openid: `bench-sweep-${i}`, role: 'resident' },
        });
        if (res.statusCode !== 200) throw new Error(`dev login: ${res.statusCode} ${res.body}`);
      }
      await seedDueRounds(scratch.url, count, now);
      const started = performance.now();
      let handled = 0;
      let passes = 0;
      for (let n = -1; n !== 0; passes++) {
        n = await app.linli.sweeper.runOnce();
        handled += n;
      }
      const seconds = (performance.now() - started) / 1000;
      const [left] = await app.linli.db.all<{ n: unknown }>('SELECT COUNT(*) AS n FROM deadlines WHERE due_at <= ?', [now]);
      const perSecond = handled / seconds;
      const rows = [[String(count), String(handled), String(left!.n), String(passes), seconds, perSecond]];
      const outcomes =
        `After their next round: ${(await dispatchOutcomes(scratch.url, 'errands')).text}; ` +
        `${searchWidening((await app.inject({ url: '/metrics' })).body)}.`;
      return {
        report: `${table(['due deadlines', 'handled', 'still due', 'runOnce calls', 'seconds', 'deadlines/s'], rows)}\n\n${outcomes}`,
        perSecond,
      };
    } finally {
      await app.close();
    }
  } finally {
    await deleteKeysWithPrefix(prefix).catch(() => undefined);
    await scratch.drop();
  }
}

if (require.main === module) {
  benchSweeper(Number(process.argv[2] ?? 5000))
    .then(({ report }) => {
      console.log(report);
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
