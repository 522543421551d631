import { startTestApp, type TestApp } from './support/harness';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';

describe('health, readiness and API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mysql', 'health');
  });
  afterAll(() => t.close());

  it('is alive and ready with MySQL and Redis', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok', checks: {} });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it('serves OpenAPI generated from the zod schemas at /docs', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/auth/wechat',
      '/api/v1/errands',
      '/api/v1/errands/{id}/accept',
      '/api/v1/staff/queue',
      '/api/v1/helper/offers',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const create = doc.paths['/api/v1/errands'].post;
    expect(create.requestBody.content['application/json'].schema.properties.category.enum).toContain('water');
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('tells clients which logins exist', async () => {
    expect((await t.app.inject({ url: '/api/v1/auth/options' })).json()).toEqual({
      devLogin: true,
      wechatLogin: true,
      websiteLogin: null, // the desk's QR login is off unless wechat.website is configured
      // The test preset's templates: the client asks for these consents.
      subscribeTemplates: {
        offerCreated: 'tpl-offer-created',
        errandAccepted: 'tpl-errand-accepted',
        errandDelivered: 'tpl-errand-delivered',
      },
    });
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('refuses bodies over the size limit with 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'x'.repeat(70_000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
  });
});

describe('API docs in production', () => {
  it('are not served unless docs.enabled is set', async () => {
    const app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { docs: { enabled: false } }) });
    try {
      expect((await app.inject({ url: '/docs' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('readiness when a dependency is down', () => {
  it('reports degraded (still 200) when the configured Redis does not answer', async () => {
    const app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { redis: { url: 'redis://127.0.0.1:1' } }) });
    try {
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'down' } });
      // Requests still work: the rate limiter lets them through while Redis is away.
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid: 'r', role: 'resident' } })).statusCode).toBe(
        200,
      );
    } finally {
      await app.close();
    }
  });

  it('reports down (503) when the database does not answer', async () => {
    const app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }) });
    await app.linli.db.close();
    try {
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.database).toBe('down');
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});

describe('rate limits', () => {
  it('answers 429 with the error shape past the per-minute limit', async () => {
    const app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { rateLimit: { perIpPerMinute: 3 } }) });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await app.inject({ url: '/healthz' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const res = await app.inject({ url: '/healthz' });
      expect(res.json().error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
