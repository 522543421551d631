import type { AssignCandidateList, ErrandView, HouseholdMatchList, HouseholdView } from '@linli/contracts';
import { parseHouseholdQuery } from '../src/modules/community/household-search';
import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const water = { category: 'water', items: [{ name: '桶装水', quantity: 2 }] };
let seq = 0;
const key = () => `intake-${Date.now()}-${seq++}`;

describe('parsing the hotline search box', () => {
  it.each([
    ['3-2-301', { kind: 'door', buildingNames: ['3', '3号楼', '3栋', '3幢'], unit: '2', room: '301' }],
    ['3号楼-2单元-301室', { kind: 'door', buildingNames: ['3', '3号楼', '3栋', '3幢'], unit: '2', room: '301' }],
    ['5-1102', { kind: 'door', buildingNames: ['5', '5号楼', '5栋', '5幢'], unit: null, room: '1102' }],
    ['13812341234', { kind: 'phone', phone: '13812341234' }],
    ['1234', { kind: 'phoneTail', digits: '1234' }],
    [' 王秀 ', { kind: 'name', text: '王秀' }],
  ])('%s', (raw, parsed) => expect(parseHouseholdQuery(raw)).toEqual(parsed));
});

describe.each(DIALECTS)('desk console: hotline intake and assign candidates on %s', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let resident: Client;
  let helper: Client;
  let buildingId: number;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'console_intake');
    staff = await t.login('staff', 'intake-staff');
    resident = await t.login('resident', 'intake-resident');
    helper = await t.login('helper', 'intake-helper');
    const [b] = await t.sql<{ id: number }>("SELECT id FROM buildings WHERE name = '3号楼'");
    buildingId = Number(b!.id);
  });
  afterAll(() => t.close());

  const search = async (q: string) => {
    const res = await staff.get(`/api/v1/staff/households/search?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    return (res.json() as HouseholdMatchList).items;
  };

  it('finds a caller by name, full phone, its last 4 digits and door', async () => {
    for (const q of ['王秀', '13812341234', '1234', '1-2-602', '1号楼-2-602']) {
      const found = await search(q);
      expect(found.map((h) => h.contactName)).toContain('王秀兰');
      expect(found.every((h) => h.communityId === found[0]!.communityId)).toBe(true);
    }
    expect(await search('1-2-999')).toEqual([]);
    expect(await search('%')).toEqual([]); // a wildcard is matched literally
  });

  it('refuses residents, helpers and an empty query', async () => {
    expect((await resident.get('/api/v1/staff/households/search?q=王')).statusCode).toBe(403);
    expect((await helper.get('/api/v1/staff/households/search?q=王')).statusCode).toBe(403);
    expect((await staff.get('/api/v1/staff/households/search?q=')).statusCode).toBe(400);
  });

  it('registers a new caller inline, finds them, and creates their errand, audited', async () => {
    const input = { buildingId, unit: '3', floor: 4, room: '402', contactName: '赵大爷', phone: '13700004021', elderlyAlone: true };
    const reg = await staff.post('/api/v1/staff/households', input);
    expect(reg.statusCode).toBe(200);
    const household = reg.json() as HouseholdView;
    expect(household).toMatchObject({ contactName: '赵大爷', room: '402', elderlyAlone: true });
    // The same door again: the household is reused, not duplicated.
    expect(((await staff.post('/api/v1/staff/households', input)).json() as HouseholdView).id).toBe(household.id);
    expect((await search('4021')).map((h) => h.id)).toEqual([household.id]);

    const idem = key();
    const created = await staff.post(`/api/v1/staff/households/${household.id}/errands`, water, { 'idempotency-key': idem });
    expect(created.statusCode).toBe(201);
    const errand = created.json() as ErrandView;
    expect(errand.status).not.toBe('cancelled');
    // Elderly living alone: red tier whatever the category.
    const [row] = await t.sql<{ sla_tier: string; on_behalf: unknown; requester_id: unknown }>(
      'SELECT sla_tier, on_behalf, requester_id FROM errands WHERE public_id = ?',
      [errand.id],
    );
    expect(row!.sla_tier).toBe('red');
    expect(Number(row!.on_behalf)).toBe(1);
    expect(Number(row!.requester_id)).toBe(staff.user.id);
    // A retry with the same key gets the same errand, not a second one.
    const again = await staff.post(`/api/v1/staff/households/${household.id}/errands`, water, { 'idempotency-key': idem });
    expect((again.json() as ErrandView).id).toBe(errand.id);
    const audit = await t.sql<{ action: string; target_id: string }>(
      "SELECT action, target_id FROM audit_log WHERE action IN ('household.register', 'errand.create_for_caller') ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual(['household.register', 'household.register', 'errand.create_for_caller']);
    expect(audit[2]!.target_id).toBe(errand.id);
    expect((await search('赵大爷'))[0]!.openErrands).toBe(1);
  });

  it('lists assign candidates with zone, distance, load and heavy carrying', async () => {
    const [h] = await search('刘建国');
    const errand = (
      await staff.post(`/api/v1/staff/households/${h!.id}/errands`, water, { 'idempotency-key': key() })
    ).json() as ErrandView;
    const res = await staff.get(`/api/v1/staff/errands/${errand.id}/candidates`);
    expect(res.statusCode).toBe(200);
    const list = res.json() as AssignCandidateList;
    expect(list.heavy).toBe(true); // water is heavy by default
    expect(list.items.length).toBeGreaterThan(0);
    for (const c of list.items) expect(c.distanceM === null || c.distanceM >= 0).toBe(true);
    // In-zone helpers come before the others.
    const firstOut = list.items.findIndex((c) => !c.inZone);
    if (firstOut >= 0) expect(list.items.slice(firstOut).some((c) => c.inZone && !c.current)).toBe(false);
    expect(list.items.some((c) => c.inZone)).toBe(true);
    expect((await resident.get(`/api/v1/staff/errands/${errand.id}/candidates`)).statusCode).toBe(403);
  });

  it('keeps another community’s households out of reach', async () => {
    await t.sql(
      "INSERT INTO communities (name, street, district, created_at, duty_phone) VALUES ('远方社区', '五里河街道', '沈河区', 0, '024-22850000')",
    );
    const [far] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM communities');
    await t.sql("INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (?, '远方苑', 'normal', 0)", [far!.id]);
    const [cp] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM compounds');
    await t.sql(
      "INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES (?, ?, '9号楼', 7, 0, 41.7, 123.4)",
      [far!.id, cp!.id],
    );
    const [fb] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM buildings');
    await t.sql(
      `INSERT INTO households (floor, contact_name, phone, elderly_alone, disabled, post_treatment, chronic_medication, infants, pregnancy,
                               building_id, community_id, unit, room, user_id, created_at, updated_at)
       VALUES (1, '远方住户', '13700009999', 0, 0, 0, 0, 0, 0, ?, ?, '1', '101', NULL, 0, 0)`,
      [fb!.id, far!.id],
    );
    const [fh] = await t.sql<{ id: number }>('SELECT MAX(id) AS id FROM households');
    expect(await search('远方住户')).toEqual([]);
    const res = await staff.post(`/api/v1/staff/households/${fh!.id}/errands`, water, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(404);
    const reg = await staff.post('/api/v1/staff/households', {
      buildingId: Number(fb!.id),
      unit: '1',
      floor: 1,
      room: '102',
      contactName: '外人',
      phone: '13700009998',
    });
    expect(reg.statusCode).toBe(403);
  });
});
