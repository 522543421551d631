import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { TEST_REDIS_URL } from './support/env';
import { startWechatStandIn, type WechatStandIn } from './support/wechat-stand-in';

describe('WeChat login through code2Session', () => {
  let wechat: WechatStandIn;
  let database: TestDatabase;
  let app: FastifyInstance;
  const logs: string[] = [];

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    database = await createMysqlDatabase('auth');
    const config = loadConfig(
      { LINLI_CONFIG: 'test' },
      {
        db: { url: database.url },
        redis: { url: TEST_REDIS_URL, keyPrefix: `linli:test:${database.name}:` },
        wechat: { apiBaseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.secret },
        log: { level: 'debug' },
      },
    );
    const logStream = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    app = await buildApp({ config, logStream });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await wechat.close();
  });

  const login = (code: string) => app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } });

  it('creates a resident at first login and finds the same user the next time', async () => {
    const first = await login('ok-alice');
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user.roles).toEqual(['resident']);
    const second = await login('ok-alice');
    // The same code twice is refused, as WeChat refuses reused codes.
    expect(second.statusCode).toBe(401);
    const third = await app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'busy-once-alice' } });
    expect(third.statusCode).toBe(200);
    // busy-once-alice maps to the openid "oalice", the same user as ok-alice.
    expect(third.json().user.id).toBe(body.user.id);
    expect(third.json().token).not.toBe(body.token);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(body.user.id);
  });

  it('sends appid, secret and grant_type the way WeChat documents', () => {
    const url = wechat.requests[0]!;
    expect(url.pathname).toBe('/sns/jscode2session');
    expect(url.searchParams.get('appid')).toBe(wechat.appId);
    expect(url.searchParams.get('secret')).toBe(wechat.secret);
    expect(url.searchParams.get('grant_type')).toBe('authorization_code');
    expect(url.searchParams.get('js_code')).toBe('ok-alice');
  });

  it('never returns, logs or stores the session_key, and stores the token only hashed', async () => {
    const res = await login('ok-bob');
    const token = res.json().token;
    expect(wechat.sessionKeys.length).toBeGreaterThan(0);
    const dump = JSON.stringify(
      await Promise.all(['users', 'sessions', 'households', 'helpers'].map((table) => app.linli.db.all(`SELECT * FROM ${table}`))),
    );
    for (const key of wechat.sessionKeys) {
      expect(res.body).not.toContain(key);
      expect(logs.join('')).not.toContain(key);
      expect(dump).not.toContain(key);
    }
    expect(dump).not.toContain(token);
    expect(logs.join('')).not.toContain(token);
  });

  it.each([
    ['invalid', 401, 'WECHAT_CODE_INVALID'],
    ['limited', 429, 'WECHAT_RATE_LIMITED'],
    ['risky', 403, 'WECHAT_USER_BLOCKED'],
    ['busy', 503, 'WECHAT_BUSY'],
    ['http500', 503, 'WECHAT_UNREACHABLE'],
  ])('maps the WeChat answer to code %s to %i %s', async (code, status, errorCode) => {
    const before = await app.linli.db.all('SELECT id FROM users');
    const res = await login(code);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(errorCode);
    expect(await app.linli.db.all('SELECT id FROM users')).toEqual(before);
  });

  it('refuses an empty code with 400', async () => {
    const res = await login('');
    expect(res.statusCode).toBe(400);
  });

  it('expires sessions', async () => {
    const res = await login('ok-carol');
    const token = res.json().token;
    await app.linli.db.run('UPDATE sessions SET expires_at = ? WHERE user_id = ?', [Date.now() - 1, res.json().user.id]);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('logs out', async () => {
    const token = (await login('ok-dave')).json().token;
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(401);
  });

  it('logs each request with its request id, echoed in x-request-id', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-me-123' } });
    expect(res.headers['x-request-id']).toBe('trace-me-123');
    expect(logs.some((l) => l.includes('"reqId":"trace-me-123"'))).toBe(true);
  });
});

describe('dev login', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createMysqlDatabase('devlogin');
    app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: database.url } }) });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });
  const dev = (openid: string, role: string) => app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid, role } });

  it('makes a resident with a demo household', async () => {
    const user = (await dev('d-resident', 'resident')).json().user;
    expect(user.roles).toEqual(['resident']);
    expect(user.household).toMatchObject({ communityName: '河畔社区' });
    expect(user.household.floor).toBeLessThanOrEqual(24);
  });

  it('makes a verified, on-duty household head whose zone is in the demo community', async () => {
    const user = (await dev('d-helper', 'helper')).json().user;
    expect(user.roles).toEqual(['resident', 'helper']);
    expect(user.helper).toMatchObject({ kind: 'household_head', verified: true, onDuty: true });
    expect(user.helper.zoneBuildingIds.length).toBeGreaterThanOrEqual(10);
  });

  it('makes staff of the demo community', async () => {
    const user = (await dev('d-staff', 'staff')).json().user;
    expect(user.roles).toContain('staff');
    const [c] = await app.linli.db.all<{ id: unknown }>('SELECT MIN(id) AS id FROM communities');
    expect(user.communityId).toBe(Number(c!.id));
  });

  it('logs in seeded demo users as themselves', async () => {
    const user = (await dev('demo-resident-1', 'resident')).json().user;
    expect(user.name).toBe('王秀兰');
    expect(user.household).toMatchObject({ elderlyAlone: true, floor: 6, hasLift: false });
  });

  it('refuses unknown roles', async () => {
    expect((await dev('d-x', 'admin')).statusCode).toBe(400);
  });
});

describe('without dev login', () => {
  it('has no /auth/dev route at all', async () => {
    const app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { auth: { devLogin: false } }) });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid: 'x', role: 'staff' } });
      expect(res.statusCode).toBe(404);
      // Nor is demo data seeded where dev login is off.
      expect(await app.linli.db.all('SELECT id FROM communities')).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
