import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const water = { category: 'water', items: [{ name: '桶装水 18.9L', quantity: 1 }] };
let keySeq = 0;
const newKey = () => `inputs-${Date.now()}-${keySeq++}`;
const HOUR = 3_600_000;

// Issue 10, point 13: the small ones.
describe.each(DIALECTS)('input boundaries on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;
  let helper: Client;
  let outsider: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'inputs');
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'inputs-resident');
    // A verified helper of another community, off duty so no offer ever reaches them.
    outsider = await t.login('helper', 'inputs-outsider');
    await t.sql("INSERT INTO communities (name, street, district, created_at) VALUES ('盛华苑社区', '皇城街道', '沈河区', 0)");
    const [other] = await t.sql<{ id: unknown }>('SELECT MAX(id) AS id FROM communities');
    await t.sql('DELETE FROM helper_zones WHERE helper_id = ?', [outsider.user.helper!.id]);
    await t.sql('UPDATE helpers SET community_id = ?, on_duty = 0 WHERE id = ?', [Number(other!.id), outsider.user.helper!.id]);
    await t.reindex();
    helper = await t.login('helper', 'inputs-helper');
  });
  afterAll(() => t.close());

  const errandCount = async () => Number((await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM errands'))[0]!.n);

  it.each([
    ['a window in 1970', { ...water, window: { start: '1970-01-01T08:00:00Z', end: '1970-01-01T10:00:00Z' } }],
    ['a window ending in 9999', { ...water, window: { start: new Date(Date.now() + HOUR).toISOString(), end: '9999-12-31T00:00:00Z' } }],
    ['a NUL in an item name', { ...water, items: [{ name: '水\u0000', quantity: 1 }] }],
    ['a lone surrogate in an item name', { ...water, items: [{ name: '水\ud800', quantity: 1 }] }],
    ['a right-to-left override in the notes', { ...water, notes: '放门口\u202e' }],
  ])('refuses %s with 400 and stores nothing', async (_label, body) => {
    const before = await errandCount();
    const res = await resident.post('/api/v1/errands', body, { 'idempotency-key': newKey() });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await errandCount()).toBe(before);
  });

  it('refuses a bidi isolate in a contact name and keeps the household as it was', async () => {
    const before = (await resident.get('/api/v1/me')).json().household;
    const res = await resident.put('/api/v1/me/household', {
      buildingId: before.buildingId,
      unit: before.unit,
      floor: before.floor,
      room: before.room,
      contactName: '\u2067王奶奶\u2069',
      phone: '13800001111',
    });
    expect(res.statusCode).toBe(400);
    expect((await resident.get('/api/v1/me')).json().household).toEqual(before);
  });

  it.each([
    [
      'a seven-character unit on an item',
      { ...water, items: [{ name: '大米', quantity: 1, unit: '袋装五公斤的' + '袋' }] },
      '单位不超过6个字',
    ],
    ['a quantity of 1.5', { ...water, items: [{ name: '大米', quantity: 1.5 }] }, '数量须为整数'],
    ['no items at all', { category: 'water' }, '缺少这一项'],
    ['an unknown category', { ...water, category: 'jewellery' }, '请从给出的选项中选择'],
  ])('answers %s in plain words, not zod English, and stores nothing', async (_label, body, words) => {
    const before = await errandCount();
    const res = await resident.post('/api/v1/errands', body, { 'idempotency-key': newKey() });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: words });
    expect(res.json().error.fields[0]).toMatchObject({ path: expect.stringMatching(/^body/), message: words });
    expect(await errandCount()).toBe(before);
  });

  it('says which field of a household is too long and keeps the household as it was', async () => {
    const before = (await resident.get('/api/v1/me')).json().household;
    const res = await resident.put('/api/v1/me/household', {
      buildingId: before.buildingId,
      unit: before.unit,
      floor: before.floor,
      room: before.room,
      contactName: '王'.repeat(21),
      phone: '13800001111',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('联系人不超过20个字');
    expect((await resident.get('/api/v1/me')).json().household).toEqual(before);
  });

  it('to a helper of another community an errand does not exist, offered or taken', async () => {
    const created = await resident.post('/api/v1/errands', water, { 'idempotency-key': newKey() });
    const id: string = created.json().id;
    expect(created.json().status).toBe('offered');
    expect((await outsider.post(`/api/v1/errands/${id}/accept`)).statusCode).toBe(404);
    expect((await helper.post(`/api/v1/errands/${id}/accept`)).statusCode).toBe(200);
    for (const step of ['accept', 'decline', 'pickup']) {
      const res = await outsider.post(`/api/v1/errands/${id}/${step}`);
      expect([step, res.statusCode, res.json().error.code]).toEqual([step, 404, 'NOT_FOUND']);
    }
    expect((await outsider.post(`/api/v1/errands/${id}/release`, { reason: '临时有事' })).statusCode).toBe(404);
    expect((await outsider.post(`/api/v1/errands/${id}/deliver`, { handoverCode: '0000' })).statusCode).toBe(404);
  });

  it('echoes a plain x-request-id and replaces any other with its own', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'gw-2026.11.29_abc-1' } });
    expect(plain.headers['x-request-id']).toBe('gw-2026.11.29_abc-1');
    for (const given of ['<script>alert(1)</script>', 'a'.repeat(65), 'id with spaces', '"quoted"']) {
      const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': given } });
      expect(res.headers['x-request-id']).not.toBe(given);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
