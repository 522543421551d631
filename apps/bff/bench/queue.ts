// The staff queue of one community with 100,000 open errands, over HTTP against a BFF process:
// the first page of every filter, and a page deep in the list (cursor at the 50,000th errand).
// Latency from autocannon: one connection (one staff member paging), and four at once.
// With `closed` > 0 the community also holds that many completed and cancelled errands, and the
// history and search route (GET /staff/errands) is measured over open and closed together.
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { DEFAULT_SLA_CONFIG, ERRAND_CATEGORIES, OPEN_STATUSES, slaDueAt, slaTierFor, type ErrandStatus } from '@linli/contracts';
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
export async function seedOpenErrands(url: string, count: number, closed = 0): Promise<void> {
  const random = seededRandom(11);
  const conn = await mysql.createConnection(url);
  try {
    await seedHouseholds(conn, 5000);
    const [households] = (await conn.query(
      `SELECT h.id, b.compound_id, h.building_id, cp.lockdown FROM households h JOIN buildings b ON b.id = h.building_id
         JOIN compounds cp ON cp.id = b.compound_id WHERE h.community_id = 1 ORDER BY h.id`,
    )) as unknown as [{ id: number; compound_id: number; building_id: number; lockdown: 'normal' | 'controlled' | 'closed' }[]];
    const [[{ requester }]] = (await conn.query('SELECT MIN(id) AS requester FROM users')) as unknown as [[{ requester: number }]];
    // Errands a helper took carry the helper, so the history's helper filter has rows to find.
    const [helpers] = (await conn.query('SELECT id FROM helpers WHERE community_id = 1 ORDER BY id')) as unknown as [{ id: number }[]];
    const taken = new Set<ErrandStatus>(['accepted', 'in_progress', 'delivered', 'completed']);
    const now = Date.now();
    const openStatuses: ErrandStatus[] = ['escalated', 'escalated', 'pending', 'offered', 'accepted', 'in_progress', 'delivered'];
    const closedStatuses: ErrandStatus[] = ['completed', 'completed', 'completed', 'cancelled'];
    const total = count + closed;
    for (let start = 0; start < total; start += 2000) {
      const rows = Array.from({ length: Math.min(2000, total - start) }, (_, i) => {
        const n = start + i;
        const h = households[n % households.length]!;
        const urgency = random() < 0.2 ? 'urgent' : 'normal';
        const vulnerable = random() < 0.3;
        const category = ERRAND_CATEGORIES[Math.floor(random() * ERRAND_CATEGORIES.length)]!;
        // Closed errands span the last year; open ones the last few days.
        const createdAt = now - Math.floor(random() * (n < count ? 3 : 365) * 86_400_000);
        const statuses = n < count ? openStatuses : closedStatuses;
        const tier = slaTierFor({ category, urgency, vulnerable }, DEFAULT_SLA_CONFIG);
        const status = statuses[Math.floor(random() * statuses.length)]!;
        const helperId = taken.has(status) && helpers.length ? helpers[n % helpers.length]!.id : null;
        return [
          `queue${String(n).padStart(17, '0')}`,
          1,
          h.compound_id,
          h.building_id,
          h.id,
          requester,
          category,
          '[{"name":"快递","quantity":1}]',
          0,
          urgency,
          vulnerable ? 1 : 0,
          status,
          helperId,
          '1234',
          queueRank({ urgency, vulnerable, lockdown: h.lockdown }),
          tier,
          slaDueAt(tier, createdAt, DEFAULT_SLA_CONFIG),
          createdAt,
          createdAt,
        ];
      });
      await conn.query(
        `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
                              urgency, vulnerable, status, helper_id, handover_code, queue_rank, sla_tier, due_at, created_at, updated_at) VALUES ?`,
        [rows],
      );
    }
    await conn.query(
      `INSERT INTO errand_status_counts (community_id, status, sla_tier, delta)
       SELECT community_id, status, sla_tier, COUNT(*) FROM errands GROUP BY community_id, status, sla_tier`,
    );
    await conn.query('ANALYZE TABLE errands');
  } finally {
    await conn.end();
  }
}

/**
 * `count` more households in community 1, spread over its buildings (units 1–6, rooms by floor),
 * each with its own phone, so a search by name, phone or door finds a few of thousands.
 */
async function seedHouseholds(conn: mysql.Connection, count: number): Promise<void> {
  const [buildings] = (await conn.query('SELECT id FROM buildings WHERE community_id = 1 ORDER BY id')) as unknown as [{ id: number }[]];
  const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
  const given = ['建国', '秀英', '桂兰', '志强', '玉珍', '德明', '淑芬', '国华'];
  const rows = Array.from({ length: count }, (_, i) => {
    const building = buildings[i % buildings.length]!.id;
    const k = Math.floor(i / buildings.length);
    const floor = 1 + (k % 30);
    return [
      1,
      building,
      String(1 + (Math.floor(k / 30) % 6)),
      floor,
      `${floor}${String(1 + Math.floor(k / 180)).padStart(2, '0')}`,
      `${surnames[i % surnames.length]}${given[Math.floor(i / surnames.length) % given.length]}${i}`,
      `139${String(10_000_000 + i * 7919).slice(-8)}`,
      0,
      0,
    ];
  });
  await conn.query(
    'INSERT INTO households (community_id, building_id, unit, floor, room, contact_name, phone, created_at, updated_at) VALUES ?',
    [rows],
  );
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

export async function benchQueue(count = 100_000, closed = 0): Promise<{ report: string }> {
  const scratch = await prepareDatabase('queue', 0);
  try {
    const started = Date.now();
    await seedOpenErrands(scratch.url, count, closed);
    const probe = await searchProbe(scratch.url);
    const seedSeconds = (Date.now() - started) / 1000;
    const deep = await cursorAt(scratch.url, Math.floor(count / 2));
    const deepEscalated = await cursorAt(scratch.url, Math.floor(count / 10), ['escalated']);
    // Many requests a second from one address: the per-address limit is for abuse, not for this.
    const bff = await startBff(scratch, { RATE_LIMIT_PER_IP_PER_MINUTE: '100000000' });
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
        ['red tier, first page', 'tier=red', 1],
        ['unmatched, yellow tier, first page', 'filter=unmatched&tier=yellow', 1],
      ];
      const history: [string, string][] = [
        ['history: everything, first page', ''],
        ['history: closed only', 'status=completed,cancelled'],
        ['history: red, closed', 'status=completed&tier=red'],
        ['history: one building, medicine', `buildingId=${probe.buildingId}&category=medicine`],
        ['history: last 30 days', `createdFrom=${encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString())}`],
        ['search: last 4 phone digits', `q=${probe.last4}`],
        ['search: door 楼-单元-室', `q=${encodeURIComponent(probe.door)}`],
        ['search: name prefix', `q=${encodeURIComponent(probe.name)}`],
        ['search: errand id', `q=${probe.publicId}`],
      ];
      if (closed > 0) {
        // Each filter of its own index, with a date range and a status as staff combine them.
        const lastQuarter = `createdFrom=${encodeURIComponent(new Date(Date.now() - 90 * 86_400_000).toISOString())}`;
        history.push(
          ['filter: building, completed, 90 days', `buildingId=${probe.buildingId}&status=completed&${lastQuarter}`],
          ['filter: compound', `compoundId=${probe.compoundId}`],
          ['filter: compound, cancelled, 90 days', `compoundId=${probe.compoundId}&status=cancelled&${lastQuarter}`],
          ['filter: category medicine', 'category=medicine'],
          ['filter: category, closed, 90 days', `category=water&status=completed,cancelled&${lastQuarter}`],
          ['filter: helper', `helperId=${probe.helperId}`],
          ['filter: helper, completed, 90 days', `helperId=${probe.helperId}&status=completed&${lastQuarter}`],
        );
      }
      for (const [name, query] of history) cases.push([name, `/errands?${query}`, 1]);
      const rows: (string | number)[][] = [];
      await autocannon({ url: `${bff.baseUrl}/api/v1/staff/queue`, headers, connections: 2, duration: 5 }); // warm-up
      for (const [name, query, connections] of cases) {
        const r = await autocannon({
          url: query.startsWith('/errands') ? `${bff.baseUrl}/api/v1/staff${query}` : `${bff.baseUrl}/api/v1/staff/queue?${query}`,
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
        report: `${count.toLocaleString('en')} open and ${closed.toLocaleString('en')} closed errands in one community (seeded in ${seedSeconds.toFixed(1)} s; counts: ${counts}), 50 per page.\n\n${table(['request', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors'], rows)}`,
      };
    } finally {
      await bff.stop();
    }
  } finally {
    await scratch.drop();
  }
}

/** A household with errands, to search for by each kind of query; and one errand id. */
export async function searchProbe(url: string) {
  const conn = await mysql.createConnection(url);
  try {
    const [rows] = (await conn.query(
      `SELECT hh.contact_name, hh.phone, hh.unit, hh.room, b.name AS building, b.id AS building_id, b.compound_id, e.public_id,
              (SELECT MIN(helper_id) FROM errands WHERE community_id = 1) AS helper_id
         FROM errands e JOIN households hh ON hh.id = e.household_id JOIN buildings b ON b.id = hh.building_id
        WHERE e.community_id = 1 AND hh.id = (SELECT MAX(household_id) FROM errands WHERE community_id = 1) LIMIT 1`,
    )) as unknown as [
      {
        contact_name: string;
        phone: string;
        unit: string;
        room: string;
        building: string;
        building_id: number;
        compound_id: number;
        public_id: string;
        helper_id: number | null;
      }[],
    ];
    const r = rows[0]!;
    const number = /\d+/.exec(r.building)?.[0] ?? r.building;
    return {
      name: r.contact_name.slice(0, 3),
      last4: r.phone.slice(-4),
      door: `${number}-${r.unit}-${r.room}`,
      buildingId: r.building_id,
      compoundId: r.compound_id,
      helperId: r.helper_id ?? 0,
      publicId: r.public_id,
    };
  } finally {
    await conn.end();
  }
}

if (require.main === module) {
  benchQueue(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 0))
    .then(({ report }) => {
      console.log(report);
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
