import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const DAY = 86_400_000;
const medicine = { category: 'medicine', items: [{ name: '硝苯地平缓释片', quantity: 2 }], notes: '放在3楼张大爷门口的鞋柜上' };
let n = 0;
const key = () => `retention-${Date.now()}-${n++}`;

describe.each(DIALECTS)('personal data after the retention period, on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'retention', { retention: { errandDays: 90, notificationDays: 30 } });
    resident = await t.login('resident', 'demo-resident-1');
  });
  afterAll(() => t.close());

  /** Walks an errand to completed, with a rating comment, through whichever helper was offered it. */
  async function completed(): Promise<string> {
    const id = (await resident.post('/api/v1/errands', medicine, { 'idempotency-key': key() })).json().id as string;
    const [offer] = await t.sql<{ openid: string }>(
      'SELECT u.openid FROM offers o JOIN errands e ON e.id = o.errand_id JOIN helpers h ON h.id = o.helper_id JOIN users u ON u.id = h.user_id WHERE e.public_id = ?',
      [id],
    );
    const helper = await t.login('helper', offer!.openid);
    expect((await helper.post(`/api/v1/errands/${id}/accept`)).statusCode).toBe(200);
    expect((await helper.post(`/api/v1/errands/${id}/pickup`)).statusCode).toBe(200);
    const [{ handover_code: code }] = (await t.sql<{ handover_code: string }>('SELECT handover_code FROM errands WHERE public_id = ?', [
      id,
    ])) as [{ handover_code: string }];
    expect(
      (await helper.post(`/api/v1/errands/${id}/deliver`, { handoverCode: code, note: '老人不在家，已交给邻居王阿姨' })).statusCode,
    ).toBe(200);
    expect((await resident.post(`/api/v1/errands/${id}/confirm`)).statusCode).toBe(200);
    expect((await resident.post(`/api/v1/errands/${id}/rate`, { stars: 5, comment: '小李人很好，还帮我倒了垃圾' })).statusCode).toBe(200);
    return id;
  }

  it('removes what people typed from closed errands, keeps the record, and deletes expired keys and sessions', async () => {
    const done = await completed();
    const cancelled = (await resident.post('/api/v1/errands', medicine, { 'idempotency-key': key() })).json().id as string;
    expect((await resident.post(`/api/v1/errands/${cancelled}/cancel`, { reason: '儿子下班顺路买了' })).statusCode).toBe(200);
    const open = (await resident.post('/api/v1/errands', medicine, { 'idempotency-key': key() })).json().id as string;

    // Before the errands' period ends, only what has expired goes: idempotency records (each
    // holds a full errand view, address and phone included) and 30-day sessions.
    t.advance(89 * DAY);
    const early = await t.app.linli.retention.runOnce();
    expect(early).toMatchObject({ errandsMinimised: 0, idempotencyKeysDeleted: 3 });
    expect(early.sessionsDeleted).toBeGreaterThan(0);
    expect(await t.sql('SELECT * FROM idempotency_keys')).toEqual([]);
    t.advance(2 * DAY);
    expect((await t.app.linli.retention.runOnce()).errandsMinimised).toBe(2);

    const again = await t.login('resident', 'demo-resident-1');
    const doneView = (await again.get(`/api/v1/errands/${done}`)).json();
    expect(doneView.status).toBe('completed');
    expect(doneView.items).toEqual([{ name: '药品', quantity: 2 }]);
    expect(doneView.notes).toBeNull();
    expect(doneView.rating).toEqual({ stars: 5, comment: null });
    expect(doneView.timeline.map((s: { to: string }) => s.to)).toEqual([
      'pending',
      'offered',
      'accepted',
      'in_progress',
      'delivered',
      'completed',
    ]);
    const text = JSON.stringify([doneView, (await again.get(`/api/v1/errands/${cancelled}`)).json()]);
    for (const typed of ['硝苯地平', '鞋柜', '王阿姨', '倒了垃圾', '儿子下班']) expect(text).not.toContain(typed);

    // Open errands keep everything; a second run finds nothing more to do.
    const openView = (await again.get(`/api/v1/errands/${open}`)).json();
    expect(openView.items).toEqual(medicine.items);
    expect(openView.notes).toBe(medicine.notes);
    expect((await t.app.linli.retention.runOnce()).errandsMinimised).toBe(0);
    // The helper's record still counts the delivery.
    expect(await t.sql("SELECT id FROM errands WHERE status = 'completed' AND helper_id IS NOT NULL")).toHaveLength(1);
  });
});
