import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBff, type RunningBff } from './bff-process';

// The h5 build served by the BFF on MySQL and Redis, in Debian's chromium: what the browser suites
// share (starting both, logging in as a role, tapping as people do, asking the API behind the page).
const h5Dir = path.resolve(__dirname, '../dist/h5');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Set to a folder to keep the README's screenshots (`npm run screenshots`). */
const screenshotDir = process.env.LINLI_SCREENSHOTS ? path.resolve(process.env.LINLI_SCREENSHOTS) : null;

export interface H5App {
  bff: RunningBff;
  browser: Browser;
}

/**
 * Starts a BFF serving the h5 build and a chromium before the suite, stops both after it, and
 * returns how to reach them from the tests.
 */
export function useH5App(): () => H5App {
  let app: H5App | null = null;
  beforeAll(async () => {
    if (!existsSync(path.join(h5Dir, 'index.html'))) throw new Error('No h5 build: run `npm run build:h5 -w @linli/miniprogram` first');
    if (!existsSync(chromiumPath)) throw new Error(`No browser at ${chromiumPath}: apt-get install -y --no-install-recommends chromium`);
    const bff = await startBff(h5Dir);
    app = { bff, browser: await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS }) };
  });
  afterAll(async () => {
    await app?.browser.close();
    await app?.bff.stop();
  });
  return () => {
    if (!app) throw new Error('the h5 app is not running (useH5App starts it in beforeAll)');
    return app;
  };
}

/** A phone-sized window of its own (separate storage, so a separate session). */
export function phone(app: H5App, viewport = { width: 390, height: 844 }, deviceScaleFactor = 2): Promise<BrowserContext> {
  return app.browser.newContext({ viewport, deviceScaleFactor, locale: 'zh-CN' });
}

/** What went over a page's live socket (GET /api/v1/ws), with when each frame arrived. */
export interface LiveFrames {
  received: { at: number; message: Record<string, unknown> }[];
  sent: Record<string, unknown>[];
  sockets: number;
}
const liveFrames = new WeakMap<Page, LiveFrames>();

export function framesOf(page: Page): LiveFrames {
  const frames = liveFrames.get(page);
  if (!frames) throw new Error('page was not opened through loginAs');
  return frames;
}

export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const LOGIN_LABELS = { resident: '我是居民', helper: '我是党员中心户', staff: '我是社区工作者' } as const;

/** A new phone, logged in through the login page's button for `role`. */
export async function loginAs(app: H5App, role: keyof typeof LOGIN_LABELS): Promise<Page> {
  const page = await (await phone(app)).newPage();
  // Listening before the first navigation, so the app's socket is seen from its very first frame.
  const frames: LiveFrames = { received: [], sent: [], sockets: 0 };
  liveFrames.set(page, frames);
  page.on('websocket', (ws) => {
    if (!ws.url().endsWith('/api/v1/ws')) return; // webpack's dev socket, say
    frames.sockets += 1;
    ws.on('framereceived', (f) => frames.received.push({ at: Date.now(), message: JSON.parse(String(f.payload)) }));
    ws.on('framesent', (f) => frames.sent.push(JSON.parse(String(f.payload))));
  });
  await page.goto(`${app.bff.baseUrl}/`);
  await page.locator('.nut-button', { hasText: LOGIN_LABELS[role] }).click();
  return page;
}

/** Resolves once no Taro toast is showing (Taro hides them with display: none). */
async function toastsGone(page: Page): Promise<void> {
  await page.waitForFunction(
    () => [...document.querySelectorAll<HTMLElement>('.taro__toast')].every((t) => getComputedStyle(t).display === 'none'),
    null,
    { timeout: 5_000 },
  );
}

/** Keeps a README screenshot when LINLI_SCREENSHOTS is set. */
export async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  // Let toasts fade and NutUI finish its transitions.
  await page.waitForTimeout(300);
  await toastsGone(page).catch(() => undefined);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Pixel sizes that 长辈模式 must scale: the page's type and a NutUI button's height. */
async function sizes(page: Page): Promise<{ font: number; button: number }> {
  return page.evaluate(() => {
    const visible = [...document.querySelectorAll<HTMLElement>('.page')].find((el) => el.offsetParent !== null);
    const button = [...document.querySelectorAll<HTMLElement>('.nut-button-large')].find((el) => el.offsetParent !== null);
    return { font: parseFloat(getComputedStyle(visible!).fontSize), button: button!.getBoundingClientRect().height };
  });
}

/** Turns 长辈模式 on with the page's switch and checks that type and buttons grew by half. */
export async function toggleElderly(page: Page): Promise<void> {
  const before = await sizes(page);
  await page.locator('.nut-switch').click();
  await page.locator('.page--elderly').waitFor();
  const after = await sizes(page);
  // 1.5× within rem rounding (Taro turns px into rem for the browser).
  expect(after.font / before.font).toBeGreaterThanOrEqual(1.499);
  expect(after.button / before.button).toBeGreaterThanOrEqual(1.499);
}

/** Answers the API gives this page's own session (the token the app keeps in localStorage). */
export async function apiGet<T = Record<string, unknown>>(page: Page, route: string): Promise<T> {
  return page.evaluate(async (p) => {
    const raw = JSON.parse(localStorage.getItem('linli.session') ?? '{}') as { data?: { token?: string }; token?: string };
    const token = raw.data?.token ?? raw.token;
    const res = await fetch(`/api/v1${p}`, { headers: { authorization: `Bearer ${token}` } });
    return res.json();
  }, route) as Promise<T>;
}

/** A change made through the API as this page's own session (to set up a step the test then taps). */
export async function apiPost<T = Record<string, unknown>>(
  page: Page,
  route: string,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<T> {
  return page.evaluate(
    async ([p, b, h]) => {
      const raw = JSON.parse(localStorage.getItem('linli.session') ?? '{}') as { data?: { token?: string }; token?: string };
      const token = raw.data?.token ?? raw.token;
      const res = await fetch(`/api/v1${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...h },
        body: JSON.stringify(b),
      });
      if (!res.ok) throw new Error(`POST ${p}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    [route, body, headers] as const,
  ) as Promise<T>;
}

/** Taps the spot where `selector` is, `times` times 60 ms apart, as a hurried finger does. */
export async function tapBurst(page: Page, selector: string, times: number): Promise<void> {
  const target = page.locator(`${selector}:visible`).first();
  await target.waitFor({ timeout: 15_000 });
  await target.scrollIntoViewIfNeeded();
  // A toast from the step before (已取货) sits over the middle of the screen and would take the taps.
  await toastsGone(page);
  const box = await target.boundingBox();
  if (!box) throw new Error(`${selector} has no box`);
  for (let i = 0; i < times; i += 1) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    if (i < times - 1) await page.waitForTimeout(60);
  }
}

/** The errand id in a page's address (`…?id=…`). */
export const errandIdOf = (page: Page): string => /[?&]id=([\w-]+)/.exec(page.url())?.[1] ?? '';

/**
 * A demo account's session through the dev login, outside any page: to arrange errands for
 * another household (each household may have at most five open errands).
 */
export async function devSession(
  app: H5App,
  openid: string,
  role: keyof typeof LOGIN_LABELS,
): Promise<{ post: <T = Record<string, unknown>>(route: string, body: unknown, headers?: Record<string, string>) => Promise<T> }> {
  const call = async <T>(route: string, body: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${app.bff.baseUrl}/api/v1${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { token } = await call<{ token: string }>('/auth/dev', { openid, role });
  return { post: (route, body, headers = {}) => call(route, body, { authorization: `Bearer ${token}`, ...headers }) };
}
