import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

let keys = 0;
const key = () => `audit-${Date.now()}-${keys++}`;

interface Entry {
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  actor: { userId: number; role: string };
  communityId: number;
}

/**
 * Every staff action leaves one audit entry, written with the change (a refused action leaves
 * none), saying who, why and what it was before and after.
 */
describe.each(DIALECTS)('audit entries of staff actions (%s)', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let resident: Client;
  let helper1: Client;
  let helper2: Client;
  let communityId: number;

  async function newest(): Promise<Entry> {
    const res = await staff.get('/api/v1/staff/audit?limit=1');
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: Entry[] }).items[0]!;
  }
  const count = async () => Number((await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_log'))[0]!.n);
  async function errand(): Promise<string> {
    const res = await resident.post(
      '/api/v1/errands',
      { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
      { 'idempotency-key': key() },
    );
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  }
  const ok = async (res: Promise<{ statusCode: number; body: string }>) => {
    const r = await res;
    if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`);
  };

  beforeAll(async () => {
    t = await startTestApp(dialect, 'audit-actions');
    staff = await t.login('staff', 'audit-staff');
    resident = await t.login('resident', 'audit-resident');
    helper1 = await t.login('helper', 'demo-helper-1');
    helper2 = await t.login('helper', 'demo-helper-2');
    communityId = Number((await t.sql<{ id: unknown }>('SELECT MIN(id) AS id FROM communities'))[0]!.id);
  }, 60_000);
  afterAll(() => t.close());

  it('assign, then reassign with a reason (refused without one, leaving no entry)', async () => {
    const id = await errand();
    const [{ status }] = (await t.sql<{ status: string }>('SELECT status FROM errands WHERE public_id = ?', [id])) as [{ status: string }];
    const h1 = helper1.user.helper!.id;
    const h2 = helper2.user.helper!.id;
    await ok(staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: h1 }));
    expect(await newest()).toMatchObject({
      action: 'errand.assign',
      targetType: 'errand',
      targetId: id,
      communityId,
      actor: { userId: staff.user.id, role: 'staff' },
      before: { status, helperId: null },
      after: { status: 'accepted', helperId: h1, helperName: '李卫东' },
    });
    const before = await count();
    expect((await staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: h2 })).statusCode).toBe(422);
    expect(await count()).toBe(before);
    await ok(staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: h2, reason: '李师傅临时去核酸点' }));
    expect(await newest()).toMatchObject({
      action: 'errand.reassign',
      reason: '李师傅临时去核酸点',
      before: { status: 'accepted', helperId: h1 },
      after: { status: 'accepted', helperId: h2, helperName: '张桂芳' },
    });
  });

  it('staff confirm a delivery and then completion; a helper’s own steps are not staff actions', async () => {
    const id = await errand();
    const h2 = helper2.user.helper!.id;
    await ok(staff.post(`/api/v1/staff/errands/${id}/assign`, { helperId: h2 }));
    const before = await count();
    await ok(helper2.post(`/api/v1/errands/${id}/pickup`));
    expect(await count()).toBe(before);
    await ok(staff.post(`/api/v1/staff/errands/${id}/deliver`, { reason: '已电话向居民核实收到' }));
    expect(await newest()).toMatchObject({
      action: 'errand.deliver_confirm',
      reason: '已电话向居民核实收到',
      before: { status: 'in_progress', helperId: h2 },
      after: { status: 'delivered', helperId: h2 },
    });
    await ok(staff.post(`/api/v1/errands/${id}/confirm`));
    expect(await newest()).toMatchObject({ action: 'errand.confirm', before: { status: 'delivered' }, after: { status: 'completed' } });
  });

  it('a staff cancel is audited with its reason; the resident’s own cancel is not', async () => {
    const mine = await errand();
    const before = await count();
    await ok(resident.post(`/api/v1/errands/${mine}/cancel`, { reason: '不需要了' }));
    expect(await count()).toBe(before);
    const id = await errand();
    await ok(staff.post(`/api/v1/errands/${id}/cancel`, { reason: '居民已由家属送达' }));
    expect(await newest()).toMatchObject({
      action: 'errand.cancel',
      targetId: id,
      reason: '居民已由家属送达',
      after: { status: 'cancelled' },
    });
  });

  it('helper verification and zones', async () => {
    const h1 = helper1.user.helper!.id;
    await ok(staff.post(`/api/v1/staff/helpers/${h1}/verify`, { verified: false, reason: '党员身份待核实' }));
    expect(await newest()).toMatchObject({
      action: 'helper.verify',
      targetType: 'helper',
      targetId: String(h1),
      reason: '党员身份待核实',
      before: { verified: true },
      after: { verified: false },
    });
    await ok(staff.post(`/api/v1/staff/helpers/${h1}/verify`, { verified: true }));

    const buildings = await t.sql<{ id: unknown }>('SELECT id FROM buildings WHERE community_id = ? ORDER BY id LIMIT 3', [communityId]);
    const [b1, b2, b3] = buildings.map((b) => Number(b.id)) as [number, number, number];
    const zoneBefore = (
      await t.sql<{ building_id: unknown }>('SELECT building_id FROM helper_zones WHERE helper_id = ? ORDER BY building_id', [h1])
    ).map((r) => Number(r.building_id));
    const res = await staff.put(`/api/v1/staff/helpers/${h1}/zones`, { buildingIds: [b3, b2, b3], reason: '调整包楼' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ helperId: h1, buildingIds: [b2, b3] });
    expect(await newest()).toMatchObject({
      action: 'helper.zones',
      reason: '调整包楼',
      before: { buildingIds: zoneBefore },
      after: { buildingIds: [b2, b3] },
    });
    const zone = await t.sql<{ building_id: unknown }>('SELECT building_id FROM helper_zones WHERE helper_id = ? ORDER BY building_id', [
      h1,
    ]);
    expect(zone.map((r) => Number(r.building_id))).toEqual([b2, b3]);
    // The roster shows each helper's zone, so the desk's grid starts from what is stored.
    const roster = (await staff.get('/api/v1/staff/helpers')).json().items as { id: number; zoneBuildingIds: number[] }[];
    expect(roster.find((h) => h.id === h1)?.zoneBuildingIds).toEqual([b2, b3]);

    // A building of another community is refused and changes nothing.
    await t.sql("INSERT INTO communities (name, street, district, created_at) VALUES ('别的社区', '街道', '区', 0)");
    const [other] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM communities');
    await t.sql("INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (?, '别的小区', 'normal', 0)", [
      Number(other!.id),
    ]);
    const [cp] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM compounds');
    await t.sql(
      "INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES (?, ?, '1号楼', 6, 0, 41.79, 123.45)",
      [Number(other!.id), Number(cp!.id)],
    );
    const [foreign] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM buildings');
    const before = await count();
    const refused = await staff.put(`/api/v1/staff/helpers/${h1}/zones`, { buildingIds: [b1, Number(foreign!.id)] });
    expect(refused.statusCode).toBe(422);
    expect(await count()).toBe(before);
    const still = await t.sql<{ building_id: unknown }>('SELECT building_id FROM helper_zones WHERE helper_id = ? ORDER BY building_id', [
      h1,
    ]);
    expect(still.map((r) => Number(r.building_id))).toEqual([b2, b3]);
  });

  it('lockdown and duty phone changes', async () => {
    const [compound] = await t.sql<{ id: unknown; lockdown: string }>(
      'SELECT id, lockdown FROM compounds WHERE community_id = ? ORDER BY id LIMIT 1',
      [communityId],
    );
    const res = await staff.put(`/api/v1/staff/compounds/${Number(compound!.id)}/lockdown`, { lockdown: 'normal', reason: '解除封控' });
    expect(res.statusCode).toBe(200);
    expect(await newest()).toMatchObject({
      action: 'compound.lockdown',
      targetType: 'compound',
      targetId: String(Number(compound!.id)),
      reason: '解除封控',
      before: { lockdown: compound!.lockdown },
      after: { lockdown: 'normal' },
    });
    const [c] = await t.sql<{ duty_phone: string | null }>('SELECT duty_phone FROM communities WHERE id = ?', [communityId]);
    await ok(staff.put('/api/v1/staff/community', { dutyPhone: '024-22223333' }));
    expect(await newest()).toMatchObject({
      action: 'community.duty_phone',
      targetType: 'community',
      targetId: String(communityId),
      before: { dutyPhone: c!.duty_phone },
      after: { dutyPhone: '024-22223333' },
    });
  });

  it('setting a lockdown or a verification to what it already is changes nothing and writes no audit row', async () => {
    const [compound] = await t.sql<{ id: unknown; lockdown: string }>(
      'SELECT id, lockdown FROM compounds WHERE community_id = ? ORDER BY id LIMIT 1',
      [communityId],
    );
    const h1 = helper1.user.helper!.id;
    const [{ verified }] = (await t.sql<{ verified: unknown }>('SELECT verified FROM helpers WHERE id = ?', [h1])) as [
      { verified: unknown },
    ];
    const before = await count();
    const same = await staff.put(`/api/v1/staff/compounds/${Number(compound!.id)}/lockdown`, {
      lockdown: compound!.lockdown,
      reason: '再点一次',
    });
    expect(same.statusCode).toBe(200);
    const again = await staff.post(`/api/v1/staff/helpers/${h1}/verify`, { verified: Boolean(Number(verified)) });
    expect(again.statusCode).toBe(200);
    expect(again.json().verified).toBe(Boolean(Number(verified)));
    expect(await count()).toBe(before);
  });

  it('household edits and change decisions, phones masked', async () => {
    const household = resident.user.household!;
    const edit = await staff.put(`/api/v1/staff/households/${household.id}`, {
      buildingId: household.buildingId,
      unit: '1',
      floor: 2,
      room: '201',
      contactName: '王大爷',
      phone: '13900001234',
      elderlyAlone: true,
    });
    expect(edit.statusCode).toBe(200);
    const e = await newest();
    expect(e).toMatchObject({
      action: 'household.edit',
      targetType: 'household',
      targetId: String(household.id),
      after: { buildingId: household.buildingId, room: '201', contactName: '王大爷', phone: '139****1234', elderlyAlone: true },
    });
    expect(e.before).toMatchObject({ buildingId: household.buildingId });
    expect(JSON.stringify(e)).not.toContain('13900001234');

    await t.sql(
      `INSERT INTO household_change_requests (community_id, household_id, requested_by, contact_name, phone, status, created_at)
       VALUES (?, ?, ?, '王小明', '13700005678', 'pending', 0)`,
      [communityId, household.id, helper1.user.id],
    );
    const [req] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM household_change_requests');
    await ok(staff.post(`/api/v1/staff/household-changes/${Number(req!.id)}`, { approve: true }));
    expect(await newest()).toMatchObject({
      action: 'household.change_decision',
      targetType: 'household_change',
      targetId: String(Number(req!.id)),
      before: { status: 'pending', contact: { contactName: '王大爷', phone: '139****1234' } },
      after: { status: 'approved', contact: { contactName: '王小明', phone: '137****5678' } },
    });
    // Deciding again is refused and leaves no second entry.
    const before = await count();
    expect((await staff.post(`/api/v1/staff/household-changes/${Number(req!.id)}`, { approve: false })).statusCode).toBe(409);
    expect(await count()).toBe(before);
  });
});
