import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './support/harness';
import { startTcpProxy } from './support/tcp-proxy';

const madeUpToken = () => randomBytes(24).toString('base64url');

async function statuses(n: number, request: (i: number) => Promise<{ statusCode: number }>): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) codes.push((await request(i)).statusCode);
  return codes;
}

describe('rate limits cannot be dodged', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', 'rate-limits', { rateLimit: { perMinute: 4, perIpPerMinute: 1000, loginPerMinute: 5 } });
  });
  afterAll(() => t.close());

  it('a made-up bearer token per login attempt still hits the per-address login limit (dev and WeChat alike)', async () => {
    const dev = await statuses(6, (i) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/dev',
        headers: { authorization: `Bearer ${madeUpToken()}` },
        payload: { openid: `guess-${i}`, role: 'staff' },
      }),
    );
    expect(dev).toEqual([200, 200, 200, 200, 200, 429]);
    const wechat = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      headers: { authorization: `Bearer ${madeUpToken()}` },
      payload: { code: 'guessed-code' },
    });
    expect(wechat.statusCode).toBe(429);
    expect(wechat.json().error.code).toBe('RATE_LIMITED');
    // Only logins are this tight: other requests from the address still pass.
    expect((await t.app.inject({ url: '/api/v1/auth/options' })).statusCode).toBe(200);
  });

  it('a verified user is limited per user, however many sessions they spread requests over', async () => {
    const t2 = await startTestApp('sqlite', 'rate-limits-user', { rateLimit: { perMinute: 4, perIpPerMinute: 1000, loginPerMinute: 100 } });
    try {
      const sessions = [await t2.login('resident', 'busy-1'), await t2.login('resident', 'busy-1'), await t2.login('resident', 'busy-1')];
      const codes = await statuses(6, (i) => sessions[i % 3]!.get('/api/v1/me'));
      expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
      // Somebody else is not held up by it, and a made-up token is refused as a stranger, not counted as that user.
      const other = await t2.login('resident', 'calm-1');
      expect((await other.get('/api/v1/me')).statusCode).toBe(200);
      const stranger = await t2.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${madeUpToken()}` } });
      expect(stranger.statusCode).toBe(401);
    } finally {
      await t2.close();
    }
  });
});

describe('rate limits behind proxies', () => {
  it('ignores X-Forwarded-For from anyone but the configured proxies', async () => {
    const t = await startTestApp('sqlite', 'rate-limits-xff', {
      server: { trustProxy: ['10.0.0.1'] },
      rateLimit: { perMinute: 1000, perIpPerMinute: 5, loginPerMinute: 1000 },
    });
    try {
      const spoofed = await statuses(7, (i) =>
        t.app.inject({ url: '/healthz', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }),
      );
      expect(spoofed).toEqual([200, 200, 200, 200, 200, 429, 429]);
      // Through our own proxy, each client is its own address.
      const proxied = await statuses(7, (i) =>
        t.app.inject({ url: '/healthz', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }),
      );
      expect(proxied).toEqual([200, 200, 200, 200, 200, 200, 200]);
      // An IPv6 client rotating addresses inside its own /64 is still one client.
      const rotating = await statuses(6, (i) => t.app.inject({ url: '/healthz', remoteAddress: `2001:db8:0:7::${i + 1}` }));
      expect(rotating).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      await t.close();
    }
  });
});

describe('rate limits without Redis', () => {
  it('are still enforced, in-process, when Redis is unreachable from the start', async () => {
    const t = await startTestApp('sqlite', 'rate-limits-no-redis', {
      redis: { url: 'redis://127.0.0.1:1' },
      rateLimit: { perMinute: 3, perIpPerMinute: 1000, loginPerMinute: 4 },
    });
    try {
      const logins = await statuses(5, (i) =>
        t.app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid: `offline-${i}`, role: 'resident' } }),
      );
      expect(logins).toEqual([200, 200, 200, 200, 429]);
      expect(t.app.linli.redis!.status).not.toBe('ready');
    } finally {
      await t.close();
    }
  });

  it('keep counting when Redis goes away mid-run', async () => {
    const proxy = await startTcpProxy(6379);
    const t = await startTestApp('mysql', 'rate-limits-outage', {
      redis: { url: `redis://127.0.0.1:${proxy.port}` },
      rateLimit: { perMinute: 5, perIpPerMinute: 1000, loginPerMinute: 1000 },
    });
    try {
      const resident = await t.login('resident', 'outage-busy');
      expect(await statuses(2, () => resident.get('/api/v1/me'))).toEqual([200, 200]);
      await proxy.stop();
      const end = Date.now() + 10_000;
      while (t.app.linli.redis!.status === 'ready' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      // This instance carries on from what it counted: the user's two earlier requests still count.
      const during = await statuses(6, () => resident.get('/api/v1/me'));
      expect(during).toEqual([200, 200, 200, 429, 429, 429]);
    } finally {
      await proxy.start(); // lets the app's Redis clients close cleanly
      await t.close();
      await proxy.stop();
    }
  });
});
