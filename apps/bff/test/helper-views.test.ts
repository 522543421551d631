import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const medicine = {
  category: 'medicine',
  items: [
    { name: '二甲双胍', quantity: 2, unit: '盒' },
    { name: '胰岛素针头', quantity: 1 },
  ],
  notes: '老人听力不好，请多敲几下门',
};
const STAFF_REASON = '独居老人，是低保户，优先';
const RELEASE_REASON = '家里有人确诊，不能出门';
let keySeq = 0;
const newKey = () => `views-${Date.now()}-${keySeq++}`;

describe.each(DIALECTS)('what helpers see of an errand on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;
  let helperA: Client;
  let helperB: Client;
  let staff: Client;
  let errandId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'views', { dispatch: { offersPerRound: 200 } });
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'views-resident');
    helperA = await t.login('helper', 'views-helper-a');
    helperB = await t.login('helper', 'views-helper-b');
    staff = await t.login('staff', 'views-staff');
    await t.sql('UPDATE households SET elderly_alone = 1 WHERE id = ?', [resident.user.household!.id]);

    // Staff give it to A with a reason about the household; A gives it back with a private reason; B is offered it.
    const created = await resident.post('/api/v1/errands', medicine, { 'idempotency-key': newKey() });
    expect(created.json()).toMatchObject({ status: 'offered', vulnerable: true });
    errandId = created.json().id;
    const assigned = await staff.post(`/api/v1/staff/errands/${errandId}/assign`, {
      helperId: helperA.user.helper!.id,
      reason: STAFF_REASON,
    });
    expect(assigned.statusCode).toBe(200);
    expect((await helperA.post(`/api/v1/errands/${errandId}/release`, { reason: RELEASE_REASON })).statusCode).toBe(200);
    expect((await helperB.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId)).toContain(errandId);
  });
  afterAll(() => t.close());

  const secrets = ['二甲双胍', '胰岛素', '听力', STAFF_REASON, RELEASE_REASON, '低保', '确诊'];
  const expectNoSecrets = (body: string, allowed: string[] = []) => {
    for (const s of secrets.filter((x) => !allowed.includes(x)))
      expect({ secret: s, found: body.includes(s) }).toEqual({ secret: s, found: false });
  };

  it('shows an offered helper what deciding needs, and no notes, item names, vulnerable flag or anyone’s reasons', async () => {
    const res = await helperB.get(`/api/v1/errands/${errandId}`);
    expect(res.statusCode).toBe(200);
    expectNoSecrets(res.body);
    expect(res.json()).toMatchObject({
      viewerRole: 'helper',
      category: 'medicine',
      items: [],
      itemCount: 2,
      notes: null,
      vulnerable: null,
      address: null,
      timeline: [],
    });
    expect(res.json().place.floor).toBeGreaterThan(0);

    const offers = await helperB.get('/api/v1/helper/offers');
    expectNoSecrets(offers.body);
    const offer = offers.json().items.find((o: { errandId: string }) => o.errandId === errandId);
    expect(offer).toMatchObject({ category: 'medicine', itemCount: 2, heavy: false, window: null });
    expect(offer).not.toHaveProperty('items');
    expect(offer).not.toHaveProperty('vulnerable');
  });

  it("shows B, once B accepts, the items, notes and address but still neither staff's nor A's reason", async () => {
    const accepted = await helperB.post(`/api/v1/errands/${errandId}/accept`);
    expect(accepted.statusCode).toBe(200);
    const res = await helperB.get(`/api/v1/errands/${errandId}`);
    const view = res.json();
    expect(view.items.map((i: { name: string }) => i.name)).toEqual(['二甲双胍', '胰岛素针头']);
    expect(view.notes).toBe(medicine.notes);
    expect(view.address.room).toBeTruthy();
    expect(view.address.phone).not.toContain('*');
    expectNoSecrets(res.body, ['二甲双胍', '胰岛素', '听力']);
    expectNoSecrets(accepted.body, ['二甲双胍', '胰岛素', '听力']);
    expect(view.timeline.map((e: { note: string | null }) => e.note)).toContain('接单人已放弃，正在重新寻找');
  });

  it("shows the household staff's reason but only that a helper gave up, and staff everything", async () => {
    const mine = await resident.get(`/api/v1/errands/${errandId}`);
    expect(mine.body).toContain(STAFF_REASON);
    expect(mine.body).not.toContain(RELEASE_REASON);
    expect(mine.body).toContain('接单人已放弃，正在重新寻找');
    const desk = await staff.get(`/api/v1/errands/${errandId}`);
    expect(desk.body).toContain(STAFF_REASON);
    expect(desk.body).toContain(RELEASE_REASON);
  });
});
