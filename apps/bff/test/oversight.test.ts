import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

let keys = 0;
const key = () => `oversight-${Date.now()}-${keys++}`;

interface Rollup {
  id: number;
  name: string;
  open: number;
  escalated: number;
  openByStatus: Record<string, number>;
  helpersOnDuty: number;
  compounds: { total: number; controlled: number; closed: number };
}

/** Street and district staff watch roll-ups and drill into a community's queue, and can change nothing. */
describe.each(DIALECTS)('oversight for street and district staff (%s)', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let street: Client;
  let district: Client;
  let resident: Client;
  let home: number;
  let quiet: number;
  let farAway: number;
  const errands: string[] = [];

  const rollups = async (who: Client) => {
    const res = await who.get('/api/v1/oversight/communities');
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: Rollup[] }).items;
  };

  beforeAll(async () => {
    t = await startTestApp(dialect, 'oversight');
    staff = await t.login('staff', 'oversight-staff');
    street = await t.login('street_staff', 'oversight-street');
    district = await t.login('district_staff', 'oversight-district');
    resident = await t.login('resident', 'oversight-resident');
    const [c] = await t.sql<{ id: unknown; street_id: unknown; district_id: unknown }>(
      'SELECT id, street_id, district_id FROM communities ORDER BY id LIMIT 1',
    );
    home = Number(c!.id);
    // A community of the same street with nothing going on, and one of another district.
    await t.sql(
      "INSERT INTO communities (name, street, district, street_id, district_id, created_at) VALUES ('静安社区', '街道', '区', ?, ?, 0)",
      [Number(c!.street_id), Number(c!.district_id)],
    );
    quiet = Number((await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM communities'))[0]!.id);
    await t.sql("INSERT INTO districts (name, created_at) VALUES ('皇姑区', 0)");
    const [d] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM districts');
    await t.sql("INSERT INTO streets (district_id, name, created_at) VALUES (?, '三台子街道', 0)", [Number(d!.id)]);
    const [s] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM streets');
    await t.sql(
      "INSERT INTO communities (name, street, district, street_id, district_id, created_at) VALUES ('远方社区', '街道', '区', ?, ?, 0)",
      [Number(s!.id), Number(d!.id)],
    );
    farAway = Number((await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM communities'))[0]!.id);
    for (let i = 0; i < 3; i++) {
      const res = await resident.post(
        '/api/v1/errands',
        { category: 'vegetables', items: [{ name: '白菜', quantity: 1 }] },
        { 'idempotency-key': key() },
      );
      expect(res.statusCode).toBe(201);
      errands.push((res.json() as { id: string }).id);
    }
    await t.sql("UPDATE errands SET status = 'escalated' WHERE public_id = ?", [errands[0]]);
  }, 60_000);
  afterAll(() => t.close());

  it('rolls up each community of the street with the same numbers the tables hold', async () => {
    const items = await rollups(street);
    expect(items.map((i) => i.id).sort()).toEqual(
      (
        await t.sql<{ id: unknown }>('SELECT id FROM communities WHERE street_id = (SELECT street_id FROM communities WHERE id = ?)', [
          home,
        ])
      )
        .map((r) => Number(r.id))
        .sort(),
    );
    const mine = items.find((i) => i.id === home)!;
    const byStatus = await t.sql<{ status: string; n: unknown }>(
      "SELECT status, COUNT(*) AS n FROM errands WHERE community_id = ? AND status NOT IN ('completed', 'cancelled') GROUP BY status",
      [home],
    );
    for (const r of byStatus) expect(mine.openByStatus[r.status]).toBe(Number(r.n));
    expect(mine.open).toBe(3);
    expect(mine.escalated).toBe(1);
    const [duty] = await t.sql<{ n: unknown }>(
      'SELECT COUNT(*) AS n FROM helpers WHERE community_id = ? AND on_duty = 1 AND verified = 1',
      [home],
    );
    expect(mine.helpersOnDuty).toBe(Number(duty!.n));
    const lockdowns = await t.sql<{ lockdown: string }>('SELECT lockdown FROM compounds WHERE community_id = ?', [home]);
    expect(mine.compounds).toEqual({
      total: lockdowns.length,
      controlled: lockdowns.filter((l) => l.lockdown === 'controlled').length,
      closed: lockdowns.filter((l) => l.lockdown === 'closed').length,
    });
    expect(items.find((i) => i.id === quiet)).toMatchObject({
      open: 0,
      escalated: 0,
      helpersOnDuty: 0,
      compounds: { total: 0, controlled: 0, closed: 0 },
    });
  });

  it('district staff see their district but not another; community staff only their own', async () => {
    const ids = (await rollups(district)).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([home, quiet]));
    expect(ids).not.toContain(farAway);
    expect((await rollups(staff)).map((i) => i.id)).toEqual([home]);
    expect((await resident.get('/api/v1/oversight/communities')).statusCode).toBe(403);
  });

  it('drills down into a community’s queue in scope, 404 outside it', async () => {
    for (const who of [street, district, staff]) {
      const res = await who.get(`/api/v1/oversight/communities/${home}/queue`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { communityId: number; readOnly: boolean; items: { id: string; status: string }[] };
      expect(body.readOnly).toBe(true);
      expect(body.items.map((i) => i.id).sort()).toEqual([...errands].sort());
      expect(body.items[0]!.status).toBe('escalated'); // most pressing first, as the staff queue sorts
    }
    // Residents' names and phones: whole for the community's own staff, masked for the desks above.
    const residentsSeenBy = async (who: typeof staff) =>
      ((await who.get(`/api/v1/oversight/communities/${home}/queue`)).json().items as { resident: { name: string; phone: string } }[]).map(
        (i) => i.resident,
      );
    for (const r of await residentsSeenBy(staff)) expect(r.phone).toMatch(/^1\d{10}$/);
    for (const who of [street, district]) {
      for (const r of await residentsSeenBy(who)) {
        expect(r.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
        expect(r.name).toContain('*');
      }
      const history = await who.get(`/api/v1/staff/errands?communityId=${home}`);
      expect(history.statusCode).toBe(200);
      expect(history.json().items.length).toBeGreaterThan(0);
      for (const i of history.json().items) expect(i.resident.phone).toContain('****');
    }
    const escalatedOnly = (await street.get(`/api/v1/oversight/communities/${home}/queue?filter=escalated`)).json();
    expect(escalatedOnly.items.map((i: { id: string }) => i.id)).toEqual([errands[0]]);
    for (const [who, id] of [
      [street, farAway],
      [district, farAway],
      [staff, quiet],
    ] as const) {
      const res = await who.get(`/api/v1/oversight/communities/${id}/queue`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('street and district staff change nothing: every staff action is refused', async () => {
    const [helper] = await t.sql<{ id: unknown }>('SELECT id FROM helpers WHERE community_id = ? ORDER BY id LIMIT 1', [home]);
    const [compound] = await t.sql<{ id: unknown }>('SELECT id FROM compounds WHERE community_id = ? ORDER BY id LIMIT 1', [home]);
    const [building] = await t.sql<{ id: unknown }>('SELECT id FROM buildings WHERE community_id = ? ORDER BY id LIMIT 1', [home]);
    const snapshot = async () => ({
      errands: await t.sql('SELECT public_id, status, helper_id, version FROM errands ORDER BY id'),
      audit: await t.sql('SELECT COUNT(*) AS n FROM audit_log'),
      compounds: await t.sql('SELECT id, lockdown FROM compounds ORDER BY id'),
      helpers: await t.sql('SELECT id, verified FROM helpers ORDER BY id'),
    });
    const before = await snapshot();
    for (const who of [street, district]) {
      const id = errands[1]!;
      const attempts = [
        who.post(`/api/v1/staff/errands/${id}/assign`, { helperId: Number(helper!.id), reason: '试试' }),
        who.post(`/api/v1/staff/errands/${id}/deliver`, { reason: '试试看' }),
        who.post(`/api/v1/staff/helpers/${Number(helper!.id)}/verify`, { verified: false }),
        who.put(`/api/v1/staff/helpers/${Number(helper!.id)}/zones`, { buildingIds: [Number(building!.id)] }),
        who.put(`/api/v1/staff/compounds/${Number(compound!.id)}/lockdown`, { lockdown: 'normal' }),
        who.put('/api/v1/staff/community', { dutyPhone: '024-22223333' }),
        who.put(`/api/v1/staff/households/${resident.user.household!.id}`, {
          buildingId: resident.user.household!.buildingId,
          unit: '1',
          floor: 1,
          room: '101',
          contactName: '某人',
          phone: '13900000000',
        }),
      ];
      for (const res of await Promise.all(attempts)) expect([res.statusCode, res.json().error?.code]).toEqual([403, 'FORBIDDEN']);
      // Errand steps outside /staff find no relation to the errand: not there to them.
      expect((await who.post(`/api/v1/errands/${id}/cancel`, { reason: '试试看' })).statusCode).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });
});
