import { websiteStateKey } from '../src/modules/auth/website-states';
import { startTestApp, type Backend, type TestApp } from './support/harness';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { startWechatStandIn, WEBSITE_APP, type WechatStandIn } from './support/wechat-stand-in';

/** Spent states in Redis as deployed, and in the database where there is no Redis: on MySQL (several writers) and SQLite. */
const BACKENDS: Backend[] = [
  { db: 'mysql', bus: 'redis' },
  { db: 'mysql', bus: 'in-process' },
  { db: 'sqlite', bus: 'in-process' },
];

const websiteConfig = (wechat: WechatStandIn) => ({
  apiBaseUrl: wechat.baseUrl,
  appId: wechat.appId,
  appSecret: wechat.secret,
  website: { appId: WEBSITE_APP.appId, appSecret: WEBSITE_APP.secret, openBaseUrl: wechat.baseUrl },
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sessionsOf = async (t: TestApp, userId: number): Promise<number> =>
  Number((await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [userId]))[0]!.n);

/**
 * The desk console's WeChat QR login (issue 12): a state the BFF signed, a code WeChat's QR page
 * redirected back with, and only people who already are staff get a session.
 */
describe.each(BACKENDS)('website QR login ($db, spent states: $bus)', (backend) => {
  const dialect = backend.db;
  let t: TestApp;
  let wechat: WechatStandIn;

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    t = await startTestApp(backend, 'website-login', { auth: { devLogin: true }, wechat: websiteConfig(wechat) });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await wechat.close();
  });

  const newState = async (): Promise<string> => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/website/state' });
    expect(res.statusCode).toBe(200);
    return res.json().state as string;
  };
  const websiteLogin = (code: string, state: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/website', payload: { code, state } });

  /** A staff member set up by dev login whose mini-program login (openid o<person>) records the unionid. */
  async function staffWithUnionid(person: string, role: 'staff' | 'resident' = 'staff'): Promise<number> {
    const dev = await t.login(role, `o${person}`);
    wechat.setUnionid(person, `u-${person}`);
    const mini = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: `ok-${person}` } });
    expect(mini.statusCode).toBe(200);
    expect(mini.json().user.id).toBe(dev.user.id);
    const [row] = await t.sql<{ wechat_unionid: string | null }>('SELECT wechat_unionid FROM users WHERE id = ?', [dev.user.id]);
    expect(row!.wechat_unionid).toBe(`u-${person}`);
    return dev.user.id;
  }

  it('offers the QR login in the auth options', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/options' });
    expect(res.json().websiteLogin).toEqual({ appId: WEBSITE_APP.appId, authorizeUrl: `${wechat.baseUrl}/connect/qrconnect` });
  });

  it('logs a staff member in by unionid, through the QR page redirect, and the session works on staff routes', async () => {
    const userId = await staffWithUnionid(`desk${dialect}`);
    wechat.settings.qrPerson = `desk${dialect}`;
    const state = await newState();
    const qr = new URL('/connect/qrconnect', wechat.baseUrl);
    qr.search = new URLSearchParams({
      appid: WEBSITE_APP.appId,
      redirect_uri: 'http://console.test/console/login/callback',
      response_type: 'code',
      scope: 'snsapi_login',
      state,
    }).toString();
    const redirect = await fetch(qr, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location')!);
    expect(back.pathname).toBe('/console/login/callback');
    expect(back.searchParams.get('state')).toBe(state);

    const res = await websiteLogin(back.searchParams.get('code')!, state);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(userId);
    expect(res.json().user.roles).toContain('staff');
    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/staff/queue',
      headers: { authorization: `Bearer ${res.json().token}` },
    });
    expect(queue.statusCode).toBe(200);
    // The code was used: the same callback again is refused, as WeChat refuses it.
    const again = await websiteLogin(back.searchParams.get('code')!, await newState());
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('refuses a bad code (401) and retries once when WeChat is busy', async () => {
    const bad = await websiteLogin('invalid', await newState());
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('WECHAT_CODE_INVALID');
    await staffWithUnionid(`busy${dialect}`);
    const busyOnce = await websiteLogin(`busy-once-web-busy${dialect}`, await newState());
    expect(busyOnce.statusCode).toBe(200);
    const busy = await websiteLogin('busy', await newState());
    expect(busy.statusCode).toBe(503);
  });

  it('refuses a state it did not sign, a tampered one and an expired one, before asking WeChat', async () => {
    await staffWithUnionid(`state${dialect}`);
    const asked = wechat.requests.length;
    expect((await websiteLogin(`web-state${dialect}`, 'made-up')).statusCode).toBe(400);
    const good = await newState();
    const tampered = good.replace(/^[^.]+/, (t.now() + 3_600_000).toString(36));
    const res = await websiteLogin(`web-state${dialect}`, tampered);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('WEBSITE_STATE_INVALID');
    t.advance(11 * 60_000);
    expect((await websiteLogin(`web-state${dialect}`, good)).statusCode).toBe(400);
    expect(wechat.requests.length).toBe(asked);
    // The code was not spent by the refused attempts: with a fresh state it still works.
    expect((await websiteLogin(`web-state${dialect}`, await newState())).statusCode).toBe(200);
  });

  it('takes each state once: a replayed callback, even with a fresh code, gets 409 before WeChat is asked, and no session', async () => {
    const userId = await staffWithUnionid(`replay${dialect}`);
    const state = await newState();
    expect((await websiteLogin(`web-replay${dialect}~1`, state)).statusCode).toBe(200);
    const sessions = await sessionsOf(t, userId);
    const asked = wechat.requests.length;
    for (const code of [`web-replay${dialect}~1`, `web-replay${dialect}~2`]) {
      const again = await websiteLogin(code, state);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toMatchObject({ code: 'WEBSITE_STATE_USED', message: '本次扫码登录已经用过，请返回登录页重新扫码' });
    }
    expect(wechat.requests.length).toBe(asked);
    expect(await sessionsOf(t, userId)).toBe(sessions);

    // A callback that failed (a bad code) spent its state too: the person scans again.
    const failed = await newState();
    expect((await websiteLogin('invalid', failed)).statusCode).toBe(401);
    expect((await websiteLogin(`web-replay${dialect}~2`, failed)).statusCode).toBe(409);
    // The refused code itself was never sent to WeChat: with a state of its own it still works.
    expect((await websiteLogin(`web-replay${dialect}~2`, await newState())).statusCode).toBe(200);
  });

  it('lets exactly one of simultaneous callbacks carrying the same state in', async () => {
    const userId = await staffWithUnionid(`race${dialect}`);
    const before = await sessionsOf(t, userId);
    const state = await newState();
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => websiteLogin(`web-race${dialect}~${n}`, state)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await sessionsOf(t, userId)).toBe(before + 1);
  });

  it('keeps a spent state for its lifetime only, when it would be refused as expired anyway', async () => {
    await staffWithUnionid(`forget${dialect}`);
    const state = await newState();
    expect((await websiteLogin(`web-forget${dialect}~1`, state)).statusCode).toBe(200);
    const nonce = state.split('.')[1]!;
    if (t.bus === 'redis') {
      // Redis drops the key by itself: ten minutes of the state plus a minute for clocks that differ.
      const ttl = await t.app.linli.redis!.pttl(websiteStateKey(nonce));
      expect(ttl).toBeGreaterThan(10 * 60_000);
      expect(ttl).toBeLessThanOrEqual(11 * 60_000);
    }
    const kept = () => t.sql('SELECT nonce FROM website_login_states WHERE nonce = ?', [nonce]);
    expect(await kept()).toHaveLength(t.bus === 'redis' ? 0 : 1);
    await t.app.linli.retention.runOnce();
    expect(await kept()).toHaveLength(t.bus === 'redis' ? 0 : 1);
    t.advance(12 * 60_000);
    await t.app.linli.retention.runOnce();
    expect(await kept()).toHaveLength(0);
    const late = await websiteLogin(`web-forget${dialect}~2`, state);
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe('WEBSITE_STATE_INVALID');
  });

  it('answers 403 for someone unknown and for a resident, and creates nobody', async () => {
    const [{ n: before }] = (await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM users')) as [{ n: number }];
    const unknown = await websiteLogin(`web-stranger${dialect}`, await newState());
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json().error.code).toBe('WEBSITE_LOGIN_UNKNOWN');
    expect(unknown.json().error.message).toContain('社区');
    const [{ n: after }] = (await t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM users')) as [{ n: number }];
    expect(Number(after)).toBe(Number(before));

    await staffWithUnionid(`neighbour${dialect}`, 'resident');
    const resident = await websiteLogin(`web-neighbour${dialect}`, await newState());
    expect(resident.statusCode).toBe(403);
    expect(resident.json().error.code).toBe('WEBSITE_LOGIN_NOT_STAFF');
  });
});

describe('website QR login on two instances sharing Redis, and while Redis is away (mysql)', () => {
  let proxy: TcpProxy;
  let wechat: WechatStandIn;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    proxy = await startTcpProxy(6379);
    wechat = await startWechatStandIn();
    a = await startTestApp('mysql', 'website-login-2', {
      auth: { devLogin: true },
      wechat: websiteConfig(wechat),
      redis: { url: `redis://127.0.0.1:${proxy.port}` },
    });
    b = await a.twin();
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await proxy?.stop();
    await wechat?.close();
  });

  const login = (app: TestApp, code: string, state: string) =>
    app.app.inject({ method: 'POST', url: '/api/v1/auth/website', payload: { code, state } });
  const stateFrom = async (app: TestApp) =>
    (await app.app.inject({ method: 'GET', url: '/api/v1/auth/website/state' })).json().state as string;

  it('lets one callback in when the same state reaches both instances at once', async () => {
    const { user } = await a.login('staff', 'otwins');
    await a.sql('UPDATE users SET openid = ? WHERE id = ?', ['wtwins', user.id]);
    const before = await sessionsOf(a, user.id);
    const state = await stateFrom(b);
    const answers = await Promise.all([a, b, a, b].map((app, n) => login(app, `web-twins~${n}`, state)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect(await sessionsOf(a, user.id)).toBe(before + 1);
  });

  it('refuses the login (503) rather than risk a replay while Redis cannot say whether the state was spent', async () => {
    const { user } = await a.login('staff', 'oaway');
    await a.sql('UPDATE users SET openid = ? WHERE id = ?', ['waway', user.id]);
    const state = await stateFrom(a);
    const redisReady = () => a.app.linli.redis!.status === 'ready';
    await proxy.stop();
    try {
      await until('Redis gone', () => !redisReady());
      const asked = wechat.requests.length;
      const res = await login(a, 'web-away~1', state);
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('WEBSITE_STATE_UNCHECKED');
      expect(wechat.requests.length).toBe(asked);
    } finally {
      await proxy.start();
    }
    // Nothing was recorded while Redis was away, so once it is back the state still works, once.
    await until('Redis back', redisReady);
    expect((await login(a, 'web-away~2', state)).statusCode).toBe(200);
    expect((await login(a, 'web-away~3', state)).statusCode).toBe(409);
  });
});

describe('website QR login when not configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', 'website-login-off');
  });
  afterAll(() => t.close());

  it('is absent from the options and its routes answer 404 WEBSITE_LOGIN_OFF', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/options' })).json().websiteLogin).toBeNull();
    const state = await t.app.inject({ method: 'GET', url: '/api/v1/auth/website/state' });
    expect(state.statusCode).toBe(404);
    expect(state.json().error.code).toBe('WEBSITE_LOGIN_OFF');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/website', payload: { code: 'web-x', state: 'a.b.c' } });
    expect(login.statusCode).toBe(404);
  });
});
