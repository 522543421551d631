import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { startBff, type RunningBff } from '../../miniprogram/e2e/bff-process';
import { startWechatStandIn, WEBSITE_APP, type WechatStandIn } from '../../bff/test/support/wechat-stand-in';
import { chromiumPath, consoleDir, DESK, h5Dir, launchChromium, screenshotWhenStill } from './chromium';

/**
 * The desk console's WeChat QR login in Chromium, against the BFF as deployed (dev login off, MySQL
 * and Redis) and the WeChat stand-in: its QR page redirects straight back with a code, as if the
 * person had scanned and confirmed. Only the console build is needed (the h5 app is not used).
 */

/** The staff member whose WeChat scans: found by the unionid WeChat reports for the website app. */
const STAFF = { name: '周晓明', person: 'qrdesk', unionid: 'u-qrdesk', miniOpenid: 'o-qrdesk' };
const STATE_KEY = 'linli.console.websiteState';
const SESSION_KEY = 'linli.console.session';

let wechat: WechatStandIn;
let bff: RunningBff;
let browser: Browser;
let staffId: number;

beforeAll(async () => {
  if (!existsSync(path.join(consoleDir, 'index.html')))
    throw new Error(`No build in ${consoleDir}: run \`npm run build -w @linli/console\` first`);
  if (!existsSync(chromiumPath)) throw new Error(`No browser at ${chromiumPath}: apt-get install -y --no-install-recommends chromium`);
  wechat = await startWechatStandIn();
  [bff, browser] = await Promise.all([
    startBff(h5Dir, {
      DEV_LOGIN: 'false',
      WECHAT_API_BASE_URL: wechat.baseUrl,
      WECHAT_WEBSITE_APP_ID: WEBSITE_APP.appId,
      WECHAT_WEBSITE_APP_SECRET: WEBSITE_APP.secret,
      WECHAT_OPEN_BASE_URL: wechat.baseUrl,
    }),
    launchChromium(),
  ]);
  // Without dev login nothing is seeded: a community and its staff member, as a district would add them.
  const at = Date.now();
  const insert = async (query: string, params: unknown[]) => ((await bff.sql(query, params)) as { insertId: number }).insertId;
  const districtId = await insert('INSERT INTO districts (name, created_at) VALUES (?, ?)', ['沈河区', at]);
  const streetId = await insert('INSERT INTO streets (district_id, name, created_at) VALUES (?, ?, ?)', [districtId, '五里河街道', at]);
  const communityId = await insert(
    'INSERT INTO communities (name, street, district, street_id, district_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ['河畔社区', '五里河街道', '沈河区', streetId, districtId, at],
  );
  staffId = await insert('INSERT INTO users (openid, name, roles, community_id, created_at, wechat_unionid) VALUES (?, ?, ?, ?, ?, ?)', [
    STAFF.miniOpenid,
    STAFF.name,
    'resident,staff',
    communityId,
    at,
    STAFF.unionid,
  ]);
  wechat.setUnionid(STAFF.person, STAFF.unionid);
  wechat.settings.qrPerson = STAFF.person;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bff?.stop();
  await wechat?.close();
});

const isWebsiteLogin = (url: string) => new URL(url).pathname === '/api/v1/auth/website';

async function sessionsOfStaff(): Promise<number> {
  const rows = (await bff.sql('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [staffId])) as { n: number }[];
  return Number(rows[0]!.n);
}

/** Every POST the page sends to the website login from now on. */
function websiteLoginPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && isWebsiteLogin(r.url())) posts.push(r.url());
  });
  return posts;
}

describe('the desk console’s WeChat QR login in a browser', () => {
  it('scans in as the staff member of that unionid and lands on the board; the callback URL replayed logs nobody in', async () => {
    const started = Date.now();
    const context = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${bff.baseUrl}/console/`);
    const scan = page.getByRole('button', { name: '微信扫码登录' });
    await scan.waitFor({ timeout: 20_000 });
    await page.waitForURL(/\/console\/login$/);
    expect(await page.getByRole('button', { name: '进入工作台' }).count()).toBe(0); // no dev login here
    await screenshotWhenStill(page, 'console-login-qr.png');

    // The button → the stand-in's QR page (with the state the BFF signed) → back with a code.
    const callbackRequest = page.waitForRequest((r) => new URL(r.url()).pathname === '/console/login/callback');
    const loginAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && isWebsiteLogin(r.url()));
    await scan.click();
    const callbackUrl = new URL((await callbackRequest).url());
    expect((await loginAnswer).status()).toBe(200);
    await page.waitForURL(/\/console\/board$/);
    await page.getByTestId('user-name').waitFor();
    expect(await page.getByTestId('user-name').innerText()).toBe(STAFF.name);

    const qrPage = wechat.requests.filter((u) => u.pathname === '/connect/qrconnect');
    expect(qrPage).toHaveLength(1);
    expect(qrPage[0]!.searchParams.get('redirect_uri')).toBe(`${bff.baseUrl}/console/login/callback`);
    const state = callbackUrl.searchParams.get('state')!;
    expect(state).toBe(qrPage[0]!.searchParams.get('state'));
    expect(callbackUrl.searchParams.get('code')).toMatch(new RegExp(`^web-${STAFF.person}~`));
    expect(await sessionsOfStaff()).toBe(1);

    // The same tab opens the callback URL again: the tab spent its state, so it refuses before the BFF.
    const postsAgain = websiteLoginPosts(page);
    await page.goto(callbackUrl.toString());
    await page.getByText('登录状态不匹配，请返回登录页重新扫码').waitFor();
    expect(postsAgain).toEqual([]);

    // Someone else's browser replays the captured URL with the state planted in its own storage (the
    // tab's check is no guard against that): the BFF has spent the state and says so.
    const other = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    await other.addInitScript(
      ([key, value]) => {
        if (location.pathname.endsWith('/login/callback')) sessionStorage.setItem(key, value);
      },
      [STATE_KEY, state] as const,
    );
    const replay = await other.newPage();
    const refused: Promise<Response> = replay.waitForResponse((r) => r.request().method() === 'POST' && isWebsiteLogin(r.url()));
    await replay.goto(callbackUrl.toString());
    const answer = await refused;
    expect(answer.status()).toBe(409);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('WEBSITE_STATE_USED');
    await replay.getByText('本次扫码登录已经用过，请返回登录页重新扫码').waitFor();
    expect(new URL(replay.url()).pathname).toBe('/console/login/callback');
    expect(await replay.getByRole('link', { name: '返回登录页' }).count()).toBe(1);
    expect(await replay.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
    expect(await replay.getByTestId('user-name').count()).toBe(0);
    expect(await sessionsOfStaff()).toBe(1);

    const tookMs = Date.now() - started;
    console.log(`QR login and two replays in the browser: ${(tookMs / 1000).toFixed(1)} s`);
    await other.close();
    await context.close();
  }, 45_000);
});
