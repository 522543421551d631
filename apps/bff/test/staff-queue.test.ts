import { OPEN_STATUSES, type ErrandStatus } from '@linli/contracts';
import { queueRank } from '../src/modules/errands/domain';
import { StatusCountCompactor } from '../src/modules/errands/status-counts';
import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

let keySeq = 0;
const newKey = () => `queue-key-${Date.now()}-${keySeq++}`;
let seedSeq = 0;

interface QueueItem {
  id: string;
  status: ErrandStatus;
  priority: number;
  badges: string[];
}
interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
  counts: Record<string, number>;
}

describe.each(DIALECTS)('staff queue on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;
  let staff: Client;
  let template: Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'staffqueue');
    // Nobody on duty: submitted errands wait in the queue as 'pending'.
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'queue-resident');
    staff = await t.login('staff', 'queue-staff');
    const first = await submit({ category: 'water', items: [{ name: '桶装水', quantity: 1 }] });
    template = (await t.sql('SELECT * FROM errands WHERE public_id = ?', [first.id]))[0]!;
  }, 60_000);
  afterAll(() => t.close());

  async function submit(body: object) {
    const res = await resident.post('/api/v1/errands', body, { 'idempotency-key': newKey() });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  }

  /**
   * Inserts open errands of the template's household in bulk, and their counts as the migration
   * seeds them for existing errands. Returns their public ids.
   */
  async function seed(rows: { status: ErrandStatus; createdAt: number; urgent?: boolean }[]): Promise<string[]> {
    const ids: string[] = [];
    const [cp] = await t.sql<{ lockdown: 'normal' | 'controlled' | 'closed' }>('SELECT lockdown FROM compounds WHERE id = ?', [
      template.compound_id,
    ]);
    for (let start = 0; start < rows.length; start += 200) {
      const chunk = rows.slice(start, start + 200);
      const params = chunk.flatMap((r) => {
        const publicId = `seed${String(++seedSeq).padStart(18, '0')}`;
        ids.push(publicId);
        const urgency = r.urgent ? 'urgent' : 'normal';
        const rank = queueRank({ urgency, vulnerable: Number(template.vulnerable) === 1, lockdown: cp!.lockdown });
        return [
          publicId,
          template.community_id,
          template.compound_id,
          template.building_id,
          template.household_id,
          template.requester_id,
          template.items_json,
          urgency,
          template.vulnerable,
          r.status,
          rank,
          r.createdAt,
          r.createdAt,
        ];
      });
      await t.sql(
        `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
                              urgency, vulnerable, status, handover_code, queue_rank, created_at, updated_at)
         VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, 'parcel', ?, 0, ?, ?, ?, '1234', ?, ?, ?)").join(', ')}`,
        params,
      );
    }
    await t.sql(
      `INSERT INTO errand_status_counts (community_id, status, delta)
       SELECT community_id, status, COUNT(*) FROM errands WHERE public_id IN (${ids.map(() => '?').join(', ')}) GROUP BY community_id, status`,
      ids,
    );
    return ids;
  }

  const page = async (query: string): Promise<QueuePage> => {
    const res = await staff.get(`/api/v1/staff/queue?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  async function pageThrough(filter: string, limit: number, between?: () => Promise<void>): Promise<QueueItem[][]> {
    const pages: QueueItem[][] = [];
    let cursor: string | null = null;
    do {
      const p: QueuePage = await page(`filter=${filter}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      pages.push(p.items);
      cursor = p.nextCursor;
      if (cursor && between) await between();
    } while (cursor);
    return pages;
  }

  /** The counts as COUNT(*) finds them, per filter. */
  async function countedByStatus(): Promise<Record<string, number>> {
    const rows = await t.sql<{ status: ErrandStatus; n: unknown }>(
      'SELECT status, COUNT(*) AS n FROM errands WHERE community_id = ? GROUP BY status',
      [template.community_id],
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<Record<ErrandStatus, number>>;
    const n = (...s: ErrandStatus[]) => s.reduce((sum, x) => sum + (by[x] ?? 0), 0);
    return {
      all: n(...OPEN_STATUSES),
      unmatched: n('pending'),
      offered: n('offered'),
      escalated: n('escalated'),
      in_progress: n('accepted', 'in_progress'),
      delivered: n('delivered'),
    };
  }

  it('puts a new urgent medicine errand on the first page behind more than 500 older open errands', async () => {
    const long = t.now() - 3 * 3_600_000;
    const statuses: ErrandStatus[] = ['pending', 'offered', 'accepted', 'in_progress', 'delivered'];
    await seed(Array.from({ length: 600 }, (_, i) => ({ status: statuses[i % statuses.length]!, createdAt: long + i * 1000 })));
    const medicine = await submit({ category: 'medicine', urgency: 'urgent', items: [{ name: '降压药', quantity: 1 }] });
    const first = await page('filter=all');
    expect(first.items).toHaveLength(50);
    expect(first.items[0]).toMatchObject({ id: medicine.id, badges: expect.arrayContaining(['urgent']) });
    expect(first.counts).toEqual(await countedByStatus());
    expect(first.counts.all).toBeGreaterThan(600);
  });

  it('pages through every escalated errand exactly once, with the exact count, even while errands arrive', async () => {
    const long = t.now() - 2 * 3_600_000;
    const escalated = await seed(
      Array.from({ length: 130 }, (_, i) => ({ status: 'escalated' as const, createdAt: long + (i % 40) * 1000, urgent: i % 3 === 0 })),
    );
    const { counts } = await page('filter=escalated');
    const pages = await pageThrough('escalated', 25);
    const seen = pages.flat().map((i) => i.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(counts.escalated!);
    expect(seen).toEqual(expect.arrayContaining(escalated));
    expect(pages.flat().every((i) => i.status === 'escalated')).toBe(true);
    // Priority never rises down the list.
    const priorities = pages.flat().map((i) => i.priority);
    expect([...priorities].sort((a, b) => b - a)).toEqual(priorities);

    // New escalated errands, more and less pressing, between every two pages.
    let round = 0;
    const arriving = await pageThrough('escalated', 25, async () => {
      round++;
      await seed([
        { status: 'escalated', createdAt: t.now(), urgent: true },
        { status: 'escalated', createdAt: t.now() + round, urgent: false },
        { status: 'escalated', createdAt: long - round, urgent: false },
      ]);
    });
    const seenWhileArriving = arriving.flat().map((i) => i.id);
    expect(round).toBeGreaterThan(3);
    expect(new Set(seenWhileArriving).size).toBe(seenWhileArriving.length);
    expect(seenWhileArriving).toEqual(expect.arrayContaining(seen));
  });

  it("pages 'all' in the same order as the whole queue sorted at once: escalated, rank, oldest, id", async () => {
    const rows = await t.sql<{ public_id: string; status: string; queue_rank: unknown; created_at: unknown; id: unknown }>(
      `SELECT public_id, status, queue_rank, created_at, id FROM errands
        WHERE community_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})`,
      [template.community_id, ...OPEN_STATUSES],
    );
    const key = (r: (typeof rows)[number]) => [r.status === 'escalated' ? 0 : 1, Number(r.queue_rank), Number(r.created_at), Number(r.id)];
    const byKey = (a: (typeof rows)[number], b: (typeof rows)[number]) => {
      const [x, y] = [key(a), key(b)];
      const i = x.findIndex((v, j) => v !== y[j]);
      return i === -1 ? 0 : x[i]! - y[i]!;
    };
    const expected = rows.sort(byKey).map((r) => r.public_id);
    const pages = await pageThrough('all', 200);
    expect(pages.flat().map((i) => i.id)).toEqual(expected);
    expect(pages.length).toBe(Math.ceil(expected.length / 200));
  });

  it('keeps the counts exact through submissions, escalation, cancellation and housekeeping', async () => {
    const e = await submit({ category: 'parcel', items: [{ name: '快递', quantity: 1 }] });
    // Nobody comes on duty: every retry finds no one, and the errand goes to staff.
    for (let i = 0; i < 6; i++) {
      t.advance(10 * 60_000);
      await t.sweep();
    }
    expect((await staff.get(`/api/v1/errands/${e.id}`)).json().status).toBe('escalated');
    expect((await staff.post(`/api/v1/errands/${e.id}/cancel`, { reason: '居民已自行解决' })).statusCode).toBe(200);
    expect((await page('filter=all')).counts).toEqual(await countedByStatus());
    expect(await new StatusCountCompactor(t.app.linli.db).compact()).toBeGreaterThan(0);
    const [left] = await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM errand_status_counts');
    // One row per community, status and 红黄蓝 tier at most.
    expect(Number(left!.n)).toBeLessThanOrEqual(8 * 3);
    expect((await page('filter=in_progress')).counts).toEqual(await countedByStatus());
    // Housekeeping in two instances at once, while errands are submitted and cancelled.
    const parcel = { category: 'parcel', items: [{ name: '快递', quantity: 1 }] };
    const [a, b] = [new StatusCountCompactor(t.app.linli.db), new StatusCountCompactor(t.app.linli.db)];
    await Promise.all([
      ...Array.from({ length: 6 }, async () => {
        const x = await submit(parcel);
        await a.compact();
        await staff.post(`/api/v1/errands/${x.id}/cancel`);
      }),
      ...Array.from({ length: 6 }, () => b.compact()),
    ]);
    expect((await page('filter=all')).counts).toEqual(await countedByStatus());
  });

  it('moves the open errands of a compound up the queue when staff close it', async () => {
    const bonus = { normal: 0, controlled: 50, closed: 150 } as const;
    const [cp] = await t.sql<{ lockdown: keyof typeof bonus }>('SELECT lockdown FROM compounds WHERE id = ?', [template.compound_id]);
    const target = cp!.lockdown === 'closed' ? 'normal' : 'closed';
    const before = (await page('filter=unmatched&limit=1')).items[0]!;
    const res = await staff.put(`/api/v1/staff/compounds/${String(template.compound_id)}/lockdown`, { lockdown: target });
    expect(res.statusCode).toBe(200);
    const after = (await page('filter=unmatched&limit=1')).items[0]!;
    expect(after.id).toBe(before.id);
    expect(after.priority - before.priority).toBe(bonus[target] - bonus[cp!.lockdown]);
    expect(after.badges.includes('closed_compound')).toBe(target === 'closed');
    const [stale] = await t.sql<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM errands WHERE compound_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})
          AND queue_rank <> 1000 - ? - (CASE WHEN urgency = 'urgent' THEN 300 ELSE 0 END) - (CASE WHEN vulnerable = 1 THEN 200 ELSE 0 END)`,
      [template.compound_id, ...OPEN_STATUSES, bonus[target]],
    );
    expect(Number(stale!.n)).toBe(0);
  });

  it('answers a cursor it did not make with 400 and a Chinese message', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      const res = await staff.get(`/api/v1/staff/queue?cursor=${cursor}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'BAD_CURSOR', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    }
  });
});
