// The staff queue of one community with 100,000 open errands, over HTTP against a BFF process:
// the first page of every filter, and a page deep in the list (cursor at the 50,000th errand).
// Latency from autocannon: one connection (one staff member paging), and four at once.
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { OPEN_STATUSES, type ErrandStatus } from '@linli/contracts';
import { queueRank } from '../src/modules/errands/domain';
import { encodeCursor, tierOf } from '../src/modules/staff/domain';
import { devLogin, prepareDatabase, startBff } from './create';
import { seededRandom, table } from './common';

const DURATION_S = 8;

/**
 * `count` open errands in community 1, spread over its households and statuses (a third
 * escalated), created over the last few days, and their per-status counts as the migration
 * seeds them. Multi-row INSERTs of 2,000.
 */
async function seedOpenErrands(url: string, count: number): Promise<void> {
  const random = seededRandom(11);
  const conn = await mysql.createConnection(url);
  try {
    const [households] = (await conn.query(
      `SELECT h.id, b.compound_id, h.building_id, cp.lockdown FROM households h JOIN buildings b ON b.id = h.building_id
         JOIN compounds cp ON cp.id = b.compound_id WHERE h.community_id = 1 ORDER BY h.id`,
    )) as unknown as [{ id: number; compound_id: number; building_id: number; lockdown: 'normal' | 'controlled' | 'closed' }[]];
    const [[{ requester }]] = (await conn.query('SELECT MIN(id) AS requester FROM users')) as unknown as [[{ requester: number }]];
    const now = Date.now();
    const statuses: ErrandStatus[] = ['escalated', 'escalated', 'pending', 'offered', 'accepted', 'in_progress', 'delivered'];
    for (let start = 0; start < count; start += 2000) {
      const rows = Array.from({ length: Math.min(2000, count - start) }, (_, i) => {
        const h = households[(start + i) % households.length]!;
        const urgency = random() < 0.2 ? 'urgent' : 'normal';
        const vulnerable = random() < 0.3;
        const createdAt = now - Math.floor(random() * 3 * 86_400_000);
        return [
          `queue${String(start + i).padStart(17, '0')}`,
          1,
          h.compound_id,
          h.building_id,
          h.id,
          requester,
          'parcel',
          '[{"name":"快递","quantity":1}]',
          0,
          urgency,
          vulnerable ? 1 : 0,
          statuses[Math.floor(random() * statuses.length)],
          '1234',
          queueRank({ urgency, vulnerable, lockdown: h.lockdown }),
          createdAt,
          createdAt,
        ];
      });
      await conn.query(
        `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
                              urgency, vulnerable, status, handover_code, queue_rank, created_at, updated_at) VALUES ?`,
        [rows],
      );
    }
    await conn.query(
      'INSERT INTO errand_status_counts (community_id, status, delta) SELECT community_id, status, COUNT(*) FROM errands GROUP BY community_id, status',
    );
    await conn.query('ANALYZE TABLE errands');
  } finally {
    await conn.end();
  }
}

/** The cursor of the errand at `position` in the queue of `statuses`, as the BFF would hand it out. */
async function cursorAt(url: string, position: number, statuses: readonly ErrandStatus[] = OPEN_STATUSES): Promise<string> {
  const conn = await mysql.createConnection(url);
  try {
    const [rows] = (await conn.query(
      `SELECT id, status, queue_rank, created_at FROM errands WHERE community_id = 1 AND status IN (?)
        ORDER BY status = 'escalated' DESC, queue_rank, created_at, id LIMIT 1 OFFSET ?`,
      [statuses, position],
    )) as unknown as [{ id: number; status: ErrandStatus; queue_rank: number; created_at: number }[]];
    const r = rows[0]!;
    return encodeCursor([tierOf(r.status), Number(r.queue_rank), Number(r.created_at), Number(r.id)]);
  } finally {
    await conn.end();
  }
}

export async function benchQueue(count = 100_000): Promise<{ report: string }> {
  const scratch = await prepareDatabase('queue', 0);
  try {
    const started = Date.now();
    await seedOpenErrands(scratch.url, count);
    const seedSeconds = (Date.now() - started) / 1000;
    const deep = await cursorAt(scratch.url, Math.floor(count / 2));
    const deepEscalated = await cursorAt(scratch.url, Math.floor(count / 10), ['escalated']);
    const bff = await startBff(scratch);
    try {
      const token = await devLogin(bff.baseUrl, 'bench-staff', 'staff');
      const headers = { authorization: `Bearer ${token}` };
      const first = (await (await fetch(`${bff.baseUrl}/api/v1/staff/queue`, { headers })).json()) as {
        items: unknown[];
        counts: Record<string, number>;
      };
      if (first.counts.all !== count || first.items.length !== 50) throw new Error(`unexpected queue: ${JSON.stringify(first.counts)}`);
      const cases: [string, string, number][] = [
        ['all, first page', '', 1],
        ['all, page at the 50,000th', `cursor=${deep}`, 1],
        ['escalated, first page', 'filter=escalated', 1],
        ['in_progress, first page', 'filter=in_progress', 1],
        ['unmatched, first page', 'filter=unmatched', 1],
        ['all, first page', '', 4],
        ['escalated, page at the 10,000th', `filter=escalated&cursor=${deepEscalated}`, 4],
      ];
      const rows: (string | number)[][] = [];
      await autocannon({ url: `${bff.baseUrl}/api/v1/staff/queue`, headers, connections: 2, duration: 5 }); // warm-up
      for (const [name, query, connections] of cases) {
        const r = await autocannon({
          url: `${bff.baseUrl}/api/v1/staff/queue?${query}`,
          headers,
          connections,
          duration: DURATION_S,
        });
        rows.push([name, connections, r.requests.average, r.latency.p50, r.latency.p99, r.non2xx + r.errors + r.timeouts]);
      }
      const counts = Object.entries(first.counts)
        .map(([f, n]) => `${f} ${n}`)
        .join(', ');
      return {
        report: `${count.toLocaleString('en')} open errands in one community (seeded in ${seedSeconds.toFixed(1)} s; counts: ${counts}), 50 per page.\n\n${table(['request', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors'], rows)}`,
      };
    } finally {
      await bff.stop();
    }
  } finally {
    await scratch.drop();
  }
}

if (require.main === module) {
  benchQueue(Number(process.argv[2] ?? 100_000))
    .then(({ report }) => {
      console.log(report);
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
