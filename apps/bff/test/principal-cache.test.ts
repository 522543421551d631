import { clientFor, startTestApp, type Client, type TestApp } from './support/harness';

// Each instance remembers who is behind a session token for a while (auth.principalCacheSeconds),
// so a change to who someone is must reach every instance through Redis at once, not after the TTL.

async function until(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

/** The same session, talking to another instance (as a load balancer would send it). */
const via = (t: TestApp, c: Client) => clientFor(t.app, c.token, c.user);

describe('cached callers on two instances (MySQL + Redis)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp('mysql', 'principal-cache', { auth: { principalCacheSeconds: 300 } });
    b = await a.twin();
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('serves a busy caller without reading its session again', async () => {
    const helper = await a.login('helper', 'pc-busy-helper');
    expect((await helper.get('/api/v1/helper/offers')).statusCode).toBe(200);
    const reads: string[] = [];
    const stop = a.app.linli.db.observe((sql) => reads.push(sql));
    try {
      expect((await helper.get('/api/v1/helper/offers')).statusCode).toBe(200);
    } finally {
      stop();
    }
    expect(reads.some((s) => /FROM sessions/.test(s))).toBe(false);
  });

  it('ends a session on every instance when it logs out on one', async () => {
    const resident = await a.login('resident', 'pc-logout');
    const onB = via(b, resident);
    expect((await onB.get('/api/v1/me')).statusCode).toBe(200);
    expect((await resident.get('/api/v1/me')).statusCode).toBe(200);
    expect((await resident.post('/api/v1/auth/logout')).statusCode).toBeLessThan(300);
    expect((await resident.get('/api/v1/me')).statusCode).toBe(401);
    const ms = await until(async () => (await onB.get('/api/v1/me')).statusCode === 401);
    expect(ms).toBeLessThan(1_000);
  });

  it('withdraws a helper on every instance at once when staff withdraw its verification', async () => {
    const helper = await a.login('helper', 'pc-withdrawn');
    const staff = await a.login('staff', 'pc-staff');
    const onB = via(b, helper);
    expect((await onB.get('/api/v1/helper/offers')).statusCode).toBe(200);
    expect((await helper.get('/api/v1/helper/offers')).statusCode).toBe(200);
    const res = await staff.post(`/api/v1/staff/helpers/${helper.user.helper!.id}/verify`, { verified: false, reason: '测试撤销' });
    expect(res.statusCode).toBe(200);
    // The instance that made the change knows at once; the other within pub/sub's delay.
    const onA = await helper.get('/api/v1/helper/offers');
    expect(onA.statusCode).toBe(403);
    expect(onA.json().error.code).toBe('HELPER_NOT_VERIFIED');
    const ms = await until(async () => (await onB.get('/api/v1/helper/offers')).statusCode === 403);
    expect(ms).toBeLessThan(1_000);
  });

  it('knows a household on the very next request after it is registered', async () => {
    // Staff's dev login registers no household: this caller has none yet, and that is cached.
    const caller = await a.login('staff', 'pc-new-home');
    expect((await caller.get('/api/v1/me')).json().household).toBeNull();
    const water = { category: 'water', items: [{ name: '桶装水', quantity: 1 }] };
    const before = await caller.post('/api/v1/errands', water, { 'idempotency-key': `pc-before-${Date.now()}` });
    expect(before.statusCode).toBeGreaterThanOrEqual(400);
    const [building] = await a.sql<{ id: unknown }>('SELECT id FROM buildings WHERE floors >= 3 ORDER BY id LIMIT 1');
    const registered = await caller.put('/api/v1/me/household', {
      buildingId: Number(building!.id),
      unit: '1',
      floor: 2,
      room: '202',
      contactName: '新住户',
      phone: '13912345678',
    });
    expect(registered.statusCode).toBe(200);
    const after = await caller.post('/api/v1/errands', water, { 'idempotency-key': `pc-after-${Date.now()}` });
    expect(after.statusCode).toBe(201);
  });
});

describe('MySQL without Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ db: 'mysql', bus: 'in-process' }, 'principal-nocache', { auth: { principalCacheSeconds: 300 } });
  });
  afterAll(() => t.close());

  it('reads the session on every request: other instances could not be told of a logout', async () => {
    const resident = await t.login('resident', 'pc-no-redis');
    expect((await resident.get('/api/v1/me')).statusCode).toBe(200);
    const reads: string[] = [];
    const stop = t.app.linli.db.observe((sql) => reads.push(sql));
    try {
      expect((await resident.get('/api/v1/me')).statusCode).toBe(200);
    } finally {
      stop();
    }
    expect(reads.some((s) => /FROM sessions/.test(s))).toBe(true);
  });
});
