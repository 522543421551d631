import { ERRAND_STATUSES, OPEN_STATUSES, SLA_TIERS, type ErrandStatus } from '@linli/contracts';
import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';
import { arrangeErrand, setUpTwoCommunities, type World } from './support/two-communities';

interface Entry {
  id: string;
  status: ErrandStatus;
  sla: { tier: string };
  resident: { name: string; door: string; phone: string };
}
interface History {
  items: Entry[];
  nextCursor: string | null;
  counts: { byStatus: Record<string, number>; byTier: Record<string, number>; total: number; exact: boolean };
}

const CATEGORIES = ['water', 'medicine', 'parcel', 'vegetables'] as const;
const STATUS_CYCLE: ErrandStatus[] = ['completed', 'cancelled', 'pending', 'accepted', 'completed', 'escalated', 'delivered', 'offered'];
const TIER_OF = { water: 'yellow', medicine: 'red', parcel: 'blue', vegetables: 'yellow' } as const;

describe.each(DIALECTS)('staff history and search on %s', (dialect) => {
  let t: TestApp;
  let w: World;
  let staff: Client;
  let communityId: number;
  let buildingId: number;
  let households: { a: number; b: number; c: number };
  let helperId: number;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'history');
    w = await setUpTwoCommunities(t, 'hist');
    staff = w.clients.staff;
    communityId = w.communityIds.home;
    helperId = w.casts.home.helper.user.helper!.id;
    const compoundId = w.casts.home.compoundId;
    await t.sql(
      "INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES (?, ?, '17号楼', 12, 1, 31.2, 121.4)",
      [communityId, compoundId],
    );
    buildingId = Number((await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM buildings'))[0]!.id);
    const household = async (unit: string, room: string, name: string, phone: string) => {
      await t.sql(
        `INSERT INTO households (community_id, building_id, unit, floor, room, contact_name, phone, created_at, updated_at)
         VALUES (?, ?, ?, 9, ?, ?, ?, 0, 0)`,
        [communityId, buildingId, unit, room, name, phone],
      );
      return Number((await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM households'))[0]!.id);
    };
    households = {
      a: await household('3', '902', '欧阳明', '13800001111'),
      b: await household('2单元', '601', '欧阳丽', '13900002222'),
      c: await household('1', '101', '张三', '13700001111'),
    };
    // 60 errands over the three households, every status (closed ones too), tier, category and a spread of times.
    const base = t.now() - 40 * 86_400_000;
    const hh = [households.a, households.b, households.c];
    const rows = Array.from({ length: 60 }, (_, i) => {
      const category = CATEGORIES[i % CATEGORIES.length]!;
      const status = STATUS_CYCLE[i % STATUS_CYCLE.length]!;
      const assigned = ['accepted', 'delivered', 'completed'].includes(status);
      const createdAt = base + Math.floor(i / 2) * 86_400_000; // pairs share a time: the id breaks the tie
      return [
        `hist${String(++seq).padStart(18, '0')}`,
        communityId,
        compoundId,
        buildingId,
        hh[i % 3],
        w.clients.resident.user.id,
        category,
        status,
        assigned ? helperId : null,
        TIER_OF[category],
        createdAt + 3_600_000,
        createdAt,
        createdAt,
      ];
    });
    await t.sql(
      `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
                            urgency, status, helper_id, handover_code, sla_tier, due_at, created_at, updated_at)
       VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?, '[]', 0, 'normal', ?, ?, '1234', ?, ?, ?, ?)").join(', ')}`,
      rows.flat(),
    );
    // Counts as the migration seeds them for existing errands.
    await t.sql(
      `INSERT INTO errand_status_counts (community_id, status, sla_tier, delta)
       SELECT community_id, status, sla_tier, COUNT(*) FROM errands WHERE public_id LIKE 'hist%' GROUP BY community_id, status, sla_tier`,
    );
  }, 90_000);
  afterAll(() => t.close());

  /** Every page of a query, newest first, and the counts of its first page. */
  async function everything(who: Client, query: string, limit = 7): Promise<{ ids: string[]; first: History }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let first: History | null = null;
    do {
      const res = await who.get(`/api/v1/staff/errands?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as History;
      first ??= page;
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    return { ids, first: first! };
  }

  /** What the same filter finds by a plain SELECT: ids newest first, and COUNT(*) per status and tier. */
  async function expected(where: string, params: unknown[]) {
    const rows = await t.sql<{ public_id: string; status: string; sla_tier: string }>(
      `SELECT public_id, status, sla_tier FROM errands WHERE community_id = ? AND ${where} ORDER BY created_at DESC, id DESC`,
      [communityId, ...params],
    );
    const byStatus = Object.fromEntries(ERRAND_STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length]));
    const byTier = Object.fromEntries(SLA_TIERS.map((s) => [s, rows.filter((r) => r.sla_tier === s).length]));
    return { ids: rows.map((r) => r.public_id), counts: { byStatus, byTier, total: rows.length, exact: true } };
  }

  async function expectSame(query: string, where: string, params: unknown[]) {
    const got = await everything(staff, query);
    const want = await expected(where, params);
    expect(new Set(got.ids).size).toBe(got.ids.length);
    expect(got.ids).toEqual(want.ids);
    expect(got.first.counts).toEqual(want.counts);
    return got;
  }

  it('pages through every errand, open and closed, newest first, without gaps or repeats, with exact counts', async () => {
    const got = await expectSame('', '1 = 1', []);
    expect(got.ids.length).toBeGreaterThanOrEqual(60);
  });

  it('finds closed errands by status, and counts each status and tier exactly', async () => {
    const got = await expectSame('status=completed,cancelled', "status IN ('completed', 'cancelled')", []);
    expect(got.ids.length).toBeGreaterThan(10);
    await expectSame('status=completed&tier=red', "status = 'completed' AND sla_tier = 'red'", []);
    await expectSame('tier=yellow', "sla_tier = 'yellow'", []);
  });

  it('filters by compound, building, category, helper and dates', async () => {
    await expectSame(`buildingId=${buildingId}`, 'building_id = ?', [buildingId]);
    await expectSame(`compoundId=${w.casts.home.compoundId}&category=medicine`, "compound_id = ? AND category = 'medicine'", [
      w.casts.home.compoundId,
    ]);
    await expectSame(`helperId=${helperId}&status=completed`, "helper_id = ? AND status = 'completed'", [helperId]);
    const from = t.now() - 30 * 86_400_000;
    const to = t.now() - 20 * 86_400_000;
    const got = await expectSame(
      `createdFrom=${encodeURIComponent(new Date(from).toISOString())}&createdTo=${encodeURIComponent(new Date(to).toISOString())}`,
      'created_at >= ? AND created_at < ?',
      [from, to],
    );
    expect(got.ids.length).toBeGreaterThan(10);
  });

  it('searches by name, the last four phone digits, the door and the errand id', async () => {
    const of = (...ids: number[]) => [`household_id IN (${ids.map(() => '?').join(', ')})`, ids] as const;
    await expectSame(`q=${encodeURIComponent('欧阳')}`, ...of(households.a, households.b));
    await expectSame('q=1111', ...of(households.a, households.c));
    await expectSame(`q=${encodeURIComponent('17-3-902')}`, ...of(households.a));
    await expectSame(`q=${encodeURIComponent('17号楼2单元601室')}`, ...of(households.b));
    await expectSame(`q=${encodeURIComponent('没有这个人')}&status=completed`, '1 = 0', []);
    const [one] = await t.sql<{ public_id: string }>(
      "SELECT public_id FROM errands WHERE public_id LIKE 'hist%' AND status = 'cancelled' AND household_id = ? LIMIT 1",
      [households.a],
    );
    const got = await expectSame(`q=${one!.public_id}`, 'public_id = ?', [one!.public_id]);
    expect(got.ids).toEqual([one!.public_id]);
    const [entry] = (await staff.get(`/api/v1/staff/errands?q=${one!.public_id}`)).json().items as Entry[];
    expect(entry!.resident).toMatchObject({ door: '17号楼-3-902', phone: '13800001111' });
  });

  it("lists one household's errands (the hotline's repeat caller), alone or within a search, and no other community's", async () => {
    await expectSame(`householdId=${households.a}`, 'household_id = ?', [households.a]);
    await expectSame(
      `householdId=${households.b}&status=${OPEN_STATUSES.join(',')}`,
      `household_id = ? AND status IN ('${OPEN_STATUSES.join("', '")}')`,
      [households.b],
    );
    await expectSame(`householdId=${households.a}&q=1111`, 'household_id = ?', [households.a]);
    await expectSame(`householdId=${households.b}&q=1111`, '1 = 0', []);
    // An errand of the other community's household: its own staff read it by household, this desk reads nothing.
    const away = await arrangeErrand(t, w.casts.away, 'offered');
    const awayHousehold = w.casts.away.resident.user.household!.id;
    const theirs = (await w.clients.staffOther.get(`/api/v1/staff/errands?householdId=${awayHousehold}`)).json() as History;
    expect(theirs.items.map((i) => i.id)).toContain(away.id);
    const ours = await staff.get(`/api/v1/staff/errands?householdId=${awayHousehold}`);
    expect(ours.statusCode).toBe(200);
    expect(ours.json()).toMatchObject({ items: [], nextCursor: null, counts: { total: 0 } });
    expect((await staff.get('/api/v1/staff/errands?householdId=abc')).statusCode).toBe(400);
  });

  it("counts the queue's open errands exactly per tier, and pages one tier in queue order", async () => {
    const res = await staff.get('/api/v1/staff/queue?filter=all&tier=red&limit=5');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: Entry[]; counts: Record<string, number>; tierCounts: Record<string, number> };
    const counted = await t.sql<{ sla_tier: string; n: unknown }>(
      `SELECT sla_tier, COUNT(*) AS n FROM errands WHERE community_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) GROUP BY sla_tier`,
      [communityId, ...OPEN_STATUSES],
    );
    expect(body.tierCounts).toEqual(Object.fromEntries(SLA_TIERS.map((s) => [s, Number(counted.find((c) => c.sla_tier === s)?.n ?? 0)])));
    expect(body.counts.all).toBe(body.tierCounts.red);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((i) => i.sla.tier === 'red' && OPEN_STATUSES.includes(i.status))).toBe(true);
  });

  it('lets street and district staff read their communities, not others, and change nothing', async () => {
    for (const who of [w.clients.streetStaff, w.clients.districtStaff]) {
      const { ids } = await everything(who, `communityId=${communityId}&status=completed`, 50);
      expect(ids).toEqual((await expected("status = 'completed'", [])).ids);
      const scoped = await who.get('/api/v1/staff/queue?tier=red');
      expect(scoped.statusCode).toBe(200);
      expect((await who.get(`/api/v1/staff/errands?communityId=${w.communityIds.away}`)).statusCode).toBe(404);
      const [open] = (await who.get(`/api/v1/staff/errands?communityId=${communityId}&status=pending`)).json().items as Entry[];
      const assign = await who.post(`/api/v1/staff/errands/${open!.id}/assign`, { helperId, reason: '试试' });
      expect(assign.statusCode).toBe(403);
    }
    expect((await w.clients.streetStaffOther.get(`/api/v1/staff/errands?communityId=${communityId}`)).statusCode).toBe(404);
    for (const who of [w.clients.resident, w.clients.helper]) expect((await who.get('/api/v1/staff/errands')).statusCode).toBe(403);
  });

  it('refuses a bad status list, an empty date range and a foreign cursor with 400', async () => {
    for (const query of [
      'status=done',
      'status=completed,,pending',
      `createdFrom=2026-11-02T00:00:00Z&createdTo=2026-11-01T00:00:00Z`,
      'cursor=abc',
    ]) {
      const res = await staff.get(`/api/v1/staff/errands?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
