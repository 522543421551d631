import Redis from 'ioredis';
import { north, offeredIds, buildingsByName, placeHelper } from './support/fixtures';
import { startTestApp, type TestApp } from './support/harness';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('when Redis goes away mid-run', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    proxy = await startTcpProxy(6379);
    t = await startTestApp('mysql', 'outage', {
      redis: { url: `redis://127.0.0.1:${proxy.port}` },
      dispatch: { offersPerRound: 3, radiiMeters: [500, 1000, 2000] },
    });
    await t.sql('UPDATE helpers SET on_duty = 0');
    await t.reindex();
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  it('keeps dispatching through SQL, reports degraded, and rebuilds the geo index when Redis returns', async () => {
    const resident = await t.login('resident', 'demo-resident-1');
    const home = (await buildingsByName(t)).get('河畔花园 1号楼')!;
    const before = await placeHelper(t, { openid: 'outage-before', at: north(home, 100) });
    await t.reindex();
    expect(t.app.linli.geo.kind).toBe('redis');
    expect((await t.app.inject({ url: '/readyz' })).json().status).toBe('ok');

    await proxy.stop();
    await until(() => t.app.linli.redis!.status !== 'ready');
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'down' } });
    expect(t.app.linli.geo.kind).toBe('sql');

    // A helper comes on duty nearby while Redis is away: the database has it, Redis does not.
    const during = await t.login('helper', 'outage-during');
    await t.sql('DELETE FROM helper_zones WHERE helper_id = ?', [during.user.helper!.id]);
    const spot = north(home, 200);
    expect((await during.put('/api/v1/helper/duty', { onDuty: true, lat: spot.lat, lng: spot.lng })).statusCode).toBe(200);

    const created = await resident.post(
      '/api/v1/errands',
      { category: 'vegetables', items: [{ name: '土豆', quantity: 3 }] },
      { 'idempotency-key': 'outage-errand-1' },
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().status).toBe('offered');
    expect(await offeredIds(before)).toContain(created.json().id);
    expect(await offeredIds(during)).toContain(created.json().id);

    await proxy.start();
    await until(() => t.app.linli.geo.kind === 'redis');
    expect((await t.app.inject({ url: '/readyz' })).json().status).toBe('ok');
    const direct = new Redis(`redis://127.0.0.1:${proxy.port}`, { keyPrefix: t.app.linli.config.redis.keyPrefix });
    try {
      const [pos] = await direct.geopos('geo:{c:1}', String(during.user.helper!.id));
      expect(Number(pos![1])).toBeCloseTo(spot.lat, 4);
    } finally {
      direct.disconnect();
    }
    const found = await t.app.linli.geo.nearby(t.app.linli.db, 1, home, 500, 10);
    expect(found.map((f) => f.helperId)).toEqual(expect.arrayContaining([before.user.helper!.id, during.user.helper!.id]));
  });
});
