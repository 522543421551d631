import type { LightMyRequestResponse } from 'fastify';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { startTestApp, type Client, type TestApp } from './support/harness';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

async function timed(request: Promise<LightMyRequestResponse>): Promise<{ res: LightMyRequestResponse; ms: number }> {
  const start = Date.now();
  const res = await request;
  return { res, ms: Date.now() - start };
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('when the database hangs or dies', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let resident: Client;

  beforeAll(async () => {
    database = await createMysqlDatabase('db-outage');
    proxy = await startTcpProxy(Number(new URL(database.url).port || 3306));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const url = viaProxy.toString();
    t = await startTestApp(
      'mysql',
      'db-outage',
      {
        db: { url, poolMax: 3, queueLimit: 10, connectTimeoutMs: 1000, acquireTimeoutMs: 1000, queryTimeoutMs: 1500 },
        health: { readyTimeoutMs: 500 },
      },
      { database: { ...database, url } },
    );
    resident = await t.login('resident', 'outage-resident');
  });
  afterAll(async () => {
    proxy.resume(); // each test leaves the proxy listening
    await t.close();
    await proxy.stop();
    await database.drop();
  });

  it('answers 503 in bounded time while the database is paused, /readyz says down at once, and recovers', async () => {
    expect((await resident.get('/api/v1/me')).statusCode).toBe(200);
    proxy.pause();

    const ready = await timed(t.app.inject({ url: '/readyz' }));
    expect(ready.res.statusCode).toBe(503);
    expect(ready.res.json().checks.database).toBe('down');
    expect(ready.ms).toBeLessThan(1500);

    // More requests than connections and queue: each still gets an answer, none waits out the pause.
    const burst = await Promise.all(Array.from({ length: 20 }, () => timed(resident.get('/api/v1/me'))));
    for (const { res, ms } of burst) {
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: '系统繁忙，请稍后再试' } });
      expect(ms).toBeLessThan(5000);
    }
    const alive = await timed(t.app.inject({ url: '/healthz' }));
    expect(alive.res.statusCode).toBe(200);
    expect(alive.ms).toBeLessThan(1000);

    proxy.resume();
    await until(async () => (await resident.get('/api/v1/me')).statusCode === 200);
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('answers 503, not 500, when the database is gone, and recovers when it is back', async () => {
    await proxy.stop();
    const gone = await timed(resident.get('/api/v1/me'));
    expect(gone.res.statusCode).toBe(503);
    expect(gone.res.json().error.code).toBe('DATABASE_UNAVAILABLE');
    expect(gone.ms).toBeLessThan(5000);
    const created = await resident.post(
      '/api/v1/errands',
      { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
      { 'idempotency-key': 'db-outage-errand-1' },
    );
    expect(created.statusCode).toBe(503);
    expect((await t.app.inject({ url: '/readyz' })).json()).toMatchObject({ status: 'down', checks: { database: 'down' } });

    await proxy.start();
    await until(async () => (await resident.get('/api/v1/me')).statusCode === 200);
  });
});
