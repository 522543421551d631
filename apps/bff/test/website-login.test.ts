import { DIALECTS, startTestApp, type TestApp } from './support/harness';
import { startWechatStandIn, WEBSITE_APP, type WechatStandIn } from './support/wechat-stand-in';

/**
 * The desk console's WeChat QR login (issue 12): a state the BFF signed, a code WeChat's QR page
 * redirected back with, and only people who already are staff get a session.
 */
describe.each(DIALECTS)('website QR login (%s)', (dialect) => {
  let t: TestApp;
  let wechat: WechatStandIn;

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    t = await startTestApp(dialect, 'website-login', {
      auth: { devLogin: true },
      wechat: {
        apiBaseUrl: wechat.baseUrl,
        appId: wechat.appId,
        appSecret: wechat.secret,
        website: { appId: WEBSITE_APP.appId, appSecret: WEBSITE_APP.secret, openBaseUrl: wechat.baseUrl },
      },
    });
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
