import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const water = { category: 'water', items: [{ name: '桶装水', quantity: 1 }] };
let seq = 0;
const key = () => `authz-${Date.now()}-${seq++}`;

describe.each(DIALECTS)('authorization on %s: every read and write checks the object, not just the role', (dialect) => {
  let t: TestApp;
  let resident: Client;
  let otherResident: Client;
  let helper: Client;
  let otherHelper: Client;
  let staff: Client;
  let outsiderStaff: Client;
  let errandId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'authz');
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'authz-resident');
    otherResident = await t.login('resident', 'authz-other');
    helper = await t.login('helper', 'authz-helper');
    otherHelper = await t.login('helper', 'authz-helper-2');
    staff = await t.login('staff', 'authz-staff');
    // A second community with its own staff member, who must see nothing of the first.
    const [c] = await t.sql<{ id: number }>('SELECT MIN(id) AS id FROM communities');
    await t.sql("INSERT INTO communities (name, street, district, created_at) VALUES ('盛华苑社区', '五里河街道', '沈河区', 0)");
    const [second] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM communities');
    expect(second!.id).not.toBe(c!.id);
    outsiderStaff = await t.login('staff', 'authz-outsider-staff');
    await t.sql('UPDATE users SET community_id = ? WHERE id = ?', [second!.id, outsiderStaff.user.id]);
    const res = await resident.post('/api/v1/errands', water, { 'idempotency-key': key() });
    errandId = res.json().id;
  });
  afterAll(() => t.close());

  it('answers 401 without a session and with an unknown token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/errands' })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer ' + 'x'.repeat(43) } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
  });

  it("gives another resident 404 for someone else's errand, and lists only their own", async () => {
    const res = await otherResident.get(`/api/v1/errands/${errandId}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await otherResident.post(`/api/v1/errands/${errandId}/cancel`)).statusCode).toBe(404);
    expect((await otherResident.get('/api/v1/errands')).json().items).toEqual([]);
    expect((await resident.get('/api/v1/errands')).json().items.map((e: { id: string }) => e.id)).toEqual([errandId]);
  });

  it('gives a resident 403 on every helper and staff route', async () => {
    const calls = [
      resident.get('/api/v1/helper/offers'),
      resident.get('/api/v1/helper/tasks'),
      resident.get('/api/v1/helper/record'),
      resident.put('/api/v1/helper/duty', { onDuty: true }),
      resident.post(`/api/v1/errands/${errandId}/accept`),
      resident.post(`/api/v1/errands/${errandId}/decline`),
      resident.post(`/api/v1/errands/${errandId}/release`, { reason: '没空了' }),
      resident.post(`/api/v1/errands/${errandId}/pickup`),
      resident.post(`/api/v1/errands/${errandId}/deliver`, { handoverCode: '1234' }),
      resident.get('/api/v1/staff/queue'),
      resident.get('/api/v1/staff/helpers'),
      resident.post(`/api/v1/staff/errands/${errandId}/assign`, { helperId: 1 }),
      resident.post('/api/v1/staff/helpers/1/verify', { verified: true }),
      resident.put('/api/v1/staff/compounds/1/lockdown', { lockdown: 'closed' }),
    ];
    for (const res of await Promise.all(calls))
      expect({ url: res.raw.req.url, status: res.statusCode }).toEqual({ url: res.raw.req.url, status: 403 });
    expect((await staff.get(`/api/v1/errands/${errandId}`)).json().status).toBe('offered');
  });

  it('shows a helper no address or phone until the errand is theirs', async () => {
    const offered = (await helper.get(`/api/v1/errands/${errandId}`)).json();
    expect(offered.viewerRole).toBe('helper');
    expect(offered.address).toBeNull();
    expect(offered.handoverCode).toBeNull();
    expect(offered.place.floor).toBeGreaterThan(0);
    const household = (await resident.get('/api/v1/me')).json().household;
    const offers = (await helper.get('/api/v1/helper/offers')).json().items;
    const offer = offers.find((o: { errandId: string }) => o.errandId === errandId);
    expect(offer).toMatchObject({ place: { floor: household.floor, buildingName: household.buildingName } });
    expect(offer).not.toHaveProperty('address');
    expect(JSON.stringify(offers)).not.toContain(household.phone);
    expect(JSON.stringify(offers)).not.toContain(household.room);

    await helper.post(`/api/v1/errands/${errandId}/accept`);
    const mine = (await helper.get(`/api/v1/errands/${errandId}`)).json();
    expect(mine.address.phone).toMatch(/^1\d{10}$/);
    expect(mine.handoverCode).toBeNull();
    // The losing helper now has neither an offer nor the errand.
    expect((await otherHelper.get(`/api/v1/errands/${errandId}`)).statusCode).toBe(404);
  });

  it("masks the helper's phone for the resident and shows it whole to staff", async () => {
    const seenByResident = (await resident.get(`/api/v1/errands/${errandId}`)).json();
    expect(seenByResident.helper.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(seenByResident.handoverCode).toMatch(/^\d{4}$/);
    const seenByStaff = (await staff.get(`/api/v1/errands/${errandId}`)).json();
    expect(seenByStaff.helper.phone).toMatch(/^1\d{10}$/);
  });

  it("keeps staff to their own community: 404 for another community's errand, and an empty queue", async () => {
    expect((await outsiderStaff.get(`/api/v1/errands/${errandId}`)).statusCode).toBe(404);
    expect((await outsiderStaff.post(`/api/v1/staff/errands/${errandId}/assign`, { helperId: helper.user.helper!.id })).statusCode).toBe(
      404,
    );
    expect((await outsiderStaff.get('/api/v1/staff/queue')).json().items).toEqual([]);
    expect((await outsiderStaff.get('/api/v1/staff/helpers')).json().items).toEqual([]);
    expect((await outsiderStaff.post(`/api/v1/staff/helpers/${helper.user.helper!.id}/verify`, { verified: false })).statusCode).toBe(404);
  });

  it('never stores a status, helperId or id sent by a client', async () => {
    const res = await otherResident.post(
      '/api/v1/errands',
      { ...water, status: 'completed', helperId: helper.user.helper!.id, id: 'AAAAAAAAAAAAAAAAAAAAAA', version: 99 },
      { 'idempotency-key': key() },
    );
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e.status).toBe('offered');
    expect(e.helper).toBeNull();
    expect(e.id).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
    const [row] = await t.sql<{ status: string; helper_id: unknown; version: unknown }>(
      'SELECT status, helper_id, version FROM errands WHERE public_id = ?',
      [e.id],
    );
    expect(row).toMatchObject({ status: 'offered', helper_id: null });
    expect(Number(row!.version)).toBe(2);
  });

  it('refuses bad input with a clear 400 and changes nothing', async () => {
    const before = await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM errands');
    const bad = [
      { category: 'water', items: [] },
      { category: 'pizza', items: [{ name: '水', quantity: 1 }] },
      { category: 'water', items: [{ name: '水', quantity: 1000 }] },
      { category: 'water', items: [{ name: '', quantity: 1 }] },
    ];
    for (const body of bad) {
      const res = await resident.post('/api/v1/errands', body, { 'idempotency-key': key() });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields.length).toBeGreaterThan(0);
    }
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/errands',
      headers: { authorization: `Bearer ${resident.token}`, 'content-type': 'application/json', 'idempotency-key': key() },
      payload: '{oops',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('INVALID_JSON');
    expect((await resident.get('/api/v1/errands/not-a-valid-id')).statusCode).toBe(400);
    const after = await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM errands');
    expect(after[0]!.n).toEqual(before[0]!.n);
  });

  it('asks a resident without an address to register one first (422)', async () => {
    const nomad = await t.login('helper', 'authz-no-household');
    const res = await nomad.post('/api/v1/errands', water, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('HOUSEHOLD_REQUIRED');
  });

  it('keeps helpers and staff to their own community when submitting for a neighbour', async () => {
    const [far] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM communities');
    await t.sql("INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (?, '盛华苑', 'normal', 0)", [far!.id]);
    const [compound] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM compounds');
    await t.sql(
      "INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES (?, ?, '1号楼', 6, 0, 41.78, 123.44)",
      [far!.id, compound!.id],
    );
    const [building] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM buildings');
    const neighbour = { buildingId: building!.id, unit: '1', floor: 3, room: '301', contactName: '李大爷', phone: '13500001111' };
    const res = await helper.post('/api/v1/errands', { ...water, onBehalfOf: neighbour }, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(403);
  });

  it('hides the details of a server error', async () => {
    await t.sql('ALTER TABLE errand_events RENAME TO errand_events_hidden');
    try {
      const res = await resident.get(`/api/v1/errands/${errandId}`);
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: '服务器开小差了，请稍后再试' } });
      expect(res.body).not.toMatch(/errand_events|sql|at \w+ \(/i);
    } finally {
      await t.sql('ALTER TABLE errand_events_hidden RENAME TO errand_events');
    }
  });
});
