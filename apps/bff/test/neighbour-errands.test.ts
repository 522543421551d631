import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const water = { category: 'water', items: [{ name: '桶装水', quantity: 1 }] };
let seq = 0;
const key = () => `nb-${Date.now()}-${seq++}`;

interface HouseholdRow {
  id: number;
  community_id: number;
  building_id: number;
  contact_name: string;
  phone: string;
  floor: number;
}

describe.each(DIALECTS)('errands for a neighbour, and who may change a household, on %s', (dialect) => {
  let t: TestApp;
  let elderly: Client; // 王秀兰, living alone on the 6th floor: a real registered household
  let resident: Client;
  let helper: Client;
  let staff: Client;
  let outsider: Client; // a resident of another community
  let outsiderStaff: Client;
  let farBuildingId: number;

  const households = () =>
    t.sql<HouseholdRow>('SELECT id, community_id, building_id, contact_name, phone, floor FROM households ORDER BY id');
  const count = async (table: string) => Number((await t.sql<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const doorOf = (c: Client) => {
    const h = (c.user as unknown as { household: { buildingId: number; unit: string; floor: number; room: string } }).household;
    return { buildingId: h.buildingId, unit: h.unit, floor: h.floor, room: h.room };
  };

  beforeAll(async () => {
    t = await startTestApp(dialect, 'neighbour');
    await t.sql('UPDATE helpers SET on_duty = 0');
    elderly = await t.login('resident', 'demo-resident-1');
    resident = await t.login('resident', 'nb-resident');
    helper = await t.login('helper', 'nb-helper');
    staff = await t.login('staff', 'nb-staff');
    // A second community, with one building, a resident registered there and its own staff member.
    await t.sql(
      "INSERT INTO communities (name, street, district, created_at, duty_phone) VALUES ('盛华苑社区', '五里河街道', '沈河区', 0, '024-22851234')",
    );
    const [far] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM communities');
    await t.sql("INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (?, '盛华苑', 'normal', 0)", [far!.id]);
    const [compound] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM compounds');
    await t.sql(
      "INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES (?, ?, '3号楼', 7, 0, 41.78, 123.44)",
      [far!.id, compound!.id],
    );
    farBuildingId = Number((await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM buildings'))[0]!.id);
    outsider = await t.login('resident', 'nb-outsider');
    await t.sql('DELETE FROM households WHERE user_id = ?', [outsider.user.id]);
    const registered = await outsider.put('/api/v1/me/household', {
      buildingId: farBuildingId,
      unit: '1',
      floor: 2,
      room: '201',
      contactName: '外社区居民',
      phone: '13600002222',
    });
    expect(registered.statusCode).toBe(200); // a first registration may choose its community
    outsider = await t.login('resident', 'nb-outsider');
    outsiderStaff = await t.login('staff', 'nb-outsider-staff');
    await t.sql('UPDATE users SET community_id = ? WHERE id = ?', [far!.id, outsiderStaff.user.id]);
  });
  afterAll(() => t.close());

  it('refuses a resident of another community ordering for a household here, and changes nothing', async () => {
    const before = { households: await households(), errands: await count('errands'), requests: await count('household_change_requests') };
    const impostor = { ...doorOf(elderly), contactName: '冒名者', phone: '13999999999' };
    const res = await outsider.post('/api/v1/errands', { ...water, onBehalfOf: impostor }, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toEqual({ code: 'OTHER_COMMUNITY', message: '只能为本社区的居民代为下单' });
    expect(await households()).toEqual(before.households);
    expect(await count('errands')).toBe(before.errands);
    expect(await count('household_change_requests')).toBe(before.requests);
  });

  it("never overwrites an existing household's contact: the stored one is used and staff are asked to check", async () => {
    const original = (await households()).find((h) => Number(h.id) === elderly.user.household!.id)!;
    const impostor = { ...doorOf(elderly), contactName: '冒名者', phone: '13999999999' };
    const res = await resident.post('/api/v1/errands', { ...water, onBehalfOf: impostor }, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    // The submitter is not told who is registered at that door, nor their number.
    expect(e.address).toEqual({ unit: impostor.unit, room: impostor.room, contactName: '王**', phone: '' });
    expect(e.handoverCode).toMatch(/^\d{4}$/);
    expect(e.timeline[0].note).toBe('代为提交（联系人信息与登记不一致，已提交社区核实）');
    expect((await households()).find((h) => Number(h.id) === Number(original.id))).toEqual(original);
    // The household itself sees the errand made for it.
    expect((await elderly.get('/api/v1/errands')).json().items.map((x: { id: string }) => x.id)).toContain(e.id);

    const changes = (await staff.get('/api/v1/staff/household-changes')).json().items;
    expect(changes).toEqual([
      expect.objectContaining({
        householdId: Number(original.id),
        current: { contactName: '王秀兰', phone: original.phone },
        proposed: { contactName: '冒名者', phone: '13999999999' },
        requestedBy: resident.user.id,
        status: 'pending',
      }),
    ]);
    expect((await outsiderStaff.get('/api/v1/staff/household-changes')).json().items).toEqual([]);
    expect((await outsiderStaff.post(`/api/v1/staff/household-changes/${changes[0].id}`, { approve: true })).statusCode).toBe(404);
    expect((await resident.get('/api/v1/staff/household-changes')).statusCode).toBe(403);
    expect((await staff.post(`/api/v1/staff/household-changes/${changes[0].id}`, { approve: false })).statusCode).toBe(200);
    expect((await staff.post(`/api/v1/staff/household-changes/${changes[0].id}`, { approve: true })).statusCode).toBe(409);
    expect((await households()).find((h) => Number(h.id) === Number(original.id))).toEqual(original);
    await staff.post(`/api/v1/errands/${e.id}/cancel`);
  });

  it('lets staff approve a contact change, which only then reaches the registry', async () => {
    const door = { buildingId: doorOf(elderly).buildingId, unit: '3', floor: 1, room: '101', contactName: '刘奶奶', phone: '13500003333' };
    const first = (await helper.post('/api/v1/errands', { ...water, onBehalfOf: door }, { 'idempotency-key': key() })).json();
    await staff.post(`/api/v1/errands/${first.id}/cancel`);
    const second = await resident.post(
      '/api/v1/errands',
      { ...water, onBehalfOf: { ...door, phone: '13500004444' } },
      { 'idempotency-key': key() },
    );
    expect(second.statusCode).toBe(201);
    const [request] = (await staff.get('/api/v1/staff/household-changes')).json().items;
    expect(request.proposed).toEqual({ contactName: '刘奶奶', phone: '13500004444' });
    expect((await staff.post(`/api/v1/staff/household-changes/${request.id}`, { approve: true })).statusCode).toBe(200);
    const [row] = await t.sql<HouseholdRow>('SELECT phone FROM households WHERE id = ?', [request.householdId]);
    expect(row!.phone).toBe('13500004444');
    await staff.post(`/api/v1/errands/${second.json().id}/cancel`);
  });

  it.each([
    ['a resident ordering for family', () => resident],
    ['a helper ordering for a neighbour', () => helper],
  ])('lets %s read out the code, find the errand in their list and cancel it', async (_who, submitterOf) => {
    const submitter = submitterOf();
    const door = { buildingId: doorOf(elderly).buildingId, unit: '1', floor: 3, room: '302', contactName: '张大爷', phone: '13500005555' };
    const created = await submitter.post('/api/v1/errands', { ...water, onBehalfOf: door }, { 'idempotency-key': key() });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const seen = (await submitter.get(`/api/v1/errands/${id}`)).json();
    expect(seen.handoverCode).toMatch(/^\d{4}$/);
    expect(seen.viewerRole).toBe('resident');
    expect((await submitter.get('/api/v1/errands')).json().items.map((x: { id: string }) => x.id)).toContain(id);
    const cancelled = await submitter.post(`/api/v1/errands/${id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
  });

  it('asks a resident to register their own address before ordering for someone else', async () => {
    const nomad = await t.login('resident', 'nb-nomad');
    // Sessions resolve the household on every request: without one, the resident has no community.
    await t.sql('DELETE FROM households WHERE user_id = ?', [nomad.user.id]);
    const door = { ...doorOf(elderly), contactName: '王秀兰', phone: '13812341234' };
    const res = await nomad.post('/api/v1/errands', { ...water, onBehalfOf: door }, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('HOUSEHOLD_REQUIRED');
  });

  it("keeps a registered resident's household in its community; a move goes through staff", async () => {
    const before = await households();
    const move = { buildingId: farBuildingId, unit: '1', floor: 3, room: '301', contactName: '居民', phone: '13600001111' };
    const res = await resident.put('/api/v1/me/household', move);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('OTHER_COMMUNITY');
    expect(await households()).toEqual(before);
    // Corrections inside the community stay the resident's own.
    const fixed = await resident.put('/api/v1/me/household', { ...doorOf(resident), contactName: '居民本人', phone: '13600001111' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().contactName).toBe('居民本人');
  });

  it('lets only staff of its community edit a household', async () => {
    const id = elderly.user.household!.id;
    const edit = { ...doorOf(elderly), contactName: '王秀兰', phone: '13812340000', elderlyAlone: true };
    expect((await outsiderStaff.put(`/api/v1/staff/households/${id}`, edit)).statusCode).toBe(404); // not their household, whatever the body
    expect((await outsiderStaff.put(`/api/v1/staff/households/${id}`, { ...edit, buildingId: farBuildingId })).statusCode).toBe(404);
    expect((await resident.put(`/api/v1/staff/households/${id}`, edit)).statusCode).toBe(403);
    const unchanged = await households();
    expect(unchanged.find((h) => Number(h.id) === id)!.phone).toBe('13812341234');
    const res = await staff.put(`/api/v1/staff/households/${id}`, edit);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, phone: '13812340000', elderlyAlone: true });
  });

  it('lets staff set their community duty phone, validated', async () => {
    expect((await staff.put('/api/v1/staff/community', { dutyPhone: '12345' })).statusCode).toBe(400);
    expect((await resident.put('/api/v1/staff/community', { dutyPhone: '024-23450000' })).statusCode).toBe(403);
    expect((await resident.get('/api/v1/me')).json().community.dutyPhone).toBe('024-24123560');
    expect((await staff.put('/api/v1/staff/community', { dutyPhone: '024-23450000' })).statusCode).toBe(200);
    expect((await resident.get('/api/v1/me')).json().community.dutyPhone).toBe('024-23450000');
    expect((await outsider.get('/api/v1/me')).json().community).toEqual(
      expect.objectContaining({ name: '盛华苑社区', dutyPhone: '024-22851234' }),
    );
  });
});
