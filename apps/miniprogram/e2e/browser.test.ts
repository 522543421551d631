import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBff, type RunningBff } from './bff-process';

// The h5 build served by the BFF on MySQL and Redis, in Debian's chromium, two people at once.
const h5Dir = path.resolve(__dirname, '../dist/h5');
const screenshotDir = process.env.LINLI_SCREENSHOTS ? path.resolve(process.env.LINLI_SCREENSHOTS) : null;
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

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

jest.setTimeout(120_000);

let bff: RunningBff;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(path.join(h5Dir, 'index.html'))) throw new Error('No h5 build: run `npm run build:h5 -w @linli/miniprogram` first');
  if (!existsSync(chromiumPath)) throw new Error(`No browser at ${chromiumPath}: apt-get install -y --no-install-recommends chromium`);
  bff = await startBff(h5Dir);
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await bff?.stop();
});

/** A phone-sized window of its own (separate storage, so a separate session). */
async function phone(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
}

/** What went over a page's live socket (GET /api/v1/ws), with when each frame arrived. */
interface LiveFrames {
  received: { at: number; message: Record<string, unknown> }[];
  sent: Record<string, unknown>[];
  sockets: number;
}
const liveFrames = new WeakMap<Page, LiveFrames>();

function framesOf(page: Page): LiveFrames {
  const frames = liveFrames.get(page);
  if (!frames) throw new Error('page was not opened through loginAs');
  return frames;
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function loginAs(context: BrowserContext, label: string): Promise<Page> {
  const page = await context.newPage();
  // Listening before the first navigation, so the app's socket is seen from its very first frame.
  const frames: LiveFrames = { received: [], sent: [], sockets: 0 };
  liveFrames.set(page, frames);
  page.on('websocket', (ws) => {
    if (!ws.url().endsWith('/api/v1/ws')) return; // webpack's dev socket, say
    frames.sockets += 1;
    ws.on('framereceived', (f) => frames.received.push({ at: Date.now(), message: JSON.parse(String(f.payload)) }));
    ws.on('framesent', (f) => frames.sent.push(JSON.parse(String(f.payload))));
  });
  await page.goto(`${bff.baseUrl}/`);
  await page.locator('.nut-button', { hasText: label }).click();
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  // Let toasts fade (Taro hides them with display: none) and NutUI finish its transitions.
  await page.waitForTimeout(300);
  await page
    .waitForFunction(
      () => [...document.querySelectorAll<HTMLElement>('.taro__toast')].every((t) => getComputedStyle(t).display === 'none'),
      null,
      {
        timeout: 5_000,
      },
    )
    .catch(() => undefined);
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

async function toggleElderly(page: Page): Promise<void> {
  const before = await sizes(page);
  await page.locator('.nut-switch').click();
  await page.locator('.page--elderly').waitFor();
  const after = await sizes(page);
  // 1.5× within rem rounding (Taro turns px into rem for the browser).
  expect(after.font / before.font).toBeGreaterThanOrEqual(1.499);
  expect(after.button / before.button).toBeGreaterThanOrEqual(1.499);
}

/** Answers the API gives this page's own session (the token the app keeps in localStorage). */
async function apiGet<T = Record<string, unknown>>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const raw = JSON.parse(localStorage.getItem('linli.session') ?? '{}') as { data?: { token?: string }; token?: string };
    const token = raw.data?.token ?? raw.token;
    const res = await fetch(`/api/v1${p}`, { headers: { authorization: `Bearer ${token}` } });
    return res.json();
  }, path) as Promise<T>;
}

/** A change made through the API as this page's own session (to set up a step the test then taps). */
async function apiPost<T = Record<string, unknown>>(
  page: Page,
  path: string,
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
    [path, body, headers] as const,
  ) as Promise<T>;
}

/** Taps the spot where `selector` is, `times` times 60 ms apart, as a hurried finger does. */
async function tapBurst(page: Page, selector: string, times: number): Promise<void> {
  const target = page.locator(`${selector}:visible`).first();
  await target.waitFor({ timeout: 15_000 });
  await target.scrollIntoViewIfNeeded();
  // A toast from the step before (已取货) sits over the middle of the screen and would take the taps.
  await page.waitForFunction(
    () => [...document.querySelectorAll<HTMLElement>('.taro__toast')].every((t) => getComputedStyle(t).display === 'none'),
    null,
    { timeout: 5_000 },
  );
  const box = await target.boundingBox();
  if (!box) throw new Error(`${selector} has no box`);
  for (let i = 0; i < times; i += 1) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    if (i < times - 1) await page.waitForTimeout(60);
  }
}

const openCount = async (staff: Page) => (await apiGet<{ items: unknown[] }>(staff, '/staff/queue?filter=all')).items.length;
const errandIdOf = (page: Page) => /[?&]id=([\w-]+)/.exec(page.url())?.[1] ?? '';
type Timeline = { timeline: { to: string; actorRole: string }[]; handoverCode: string | null };
const stepsTo = async (staff: Page, id: string, to: string, actorRole?: string) =>
  (await apiGet<Timeline>(staff, `/errands/${id}`)).timeline.filter((e) => e.to === to && (!actorRole || e.actorRole === actorRole)).length;

describe('in a browser, against the BFF', () => {
  it('a resident asks for water; a helper accepts, picks it up and delivers it with the code; the resident sees it completed', async () => {
    const resident = await loginAs(await phone(), '我是居民');
    await resident.locator('[aria-label="桶装水"]').waitFor();
    await shoot(resident, 'resident-home');
    await resident.locator('[aria-label="桶装水"]').click();
    await resident.locator('.submit-errand').waitFor();
    await shoot(resident, 'resident-errand-form');
    await resident.locator('.submit-errand').click();
    const code = (await resident.locator('.handover-code').innerText({ timeout: 15_000 })).trim();
    expect(code).toMatch(/^\d{4}$/);
    expect(await resident.locator('.errand-status').innerText()).toMatch(/等待接单|等待派单/);
    await shoot(resident, 'resident-errand-waiting');

    const helper = await loginAs(await phone(), '我是党员中心户');
    await helper.locator('.accept-offer').first().waitFor({ timeout: 20_000 });
    await shoot(helper, 'helper-offers');
    // The helper works the rest of the errand in 长辈模式: it must stay usable.
    await toggleElderly(helper);
    await shoot(helper, 'helper-offers-elderly');
    // The resident's page is on the live socket now: only the socket can bring the acceptance
    // within 2 s, because while it is live polling waits 60 s (and 5 s when it is not).
    const residentLive = framesOf(resident);
    await until(() => residentLive.received.some((f) => f.message.type === 'welcome'), 10_000, "the resident's welcome");
    expect(residentLive.sockets).toBe(1);
    expect(residentLive.sent[0]).toMatchObject({ type: 'hello', token: expect.any(String) });
    const errandId = /[?&]id=([\w-]+)/.exec(resident.url())?.[1];
    expect(errandId).toBeTruthy();
    const reloads: number[] = [];
    resident.on('request', (r) => {
      if (r.url().endsWith(`/api/v1/errands/${errandId}`) && r.method() === 'GET') reloads.push(Date.now());
    });

    const acceptedAt = Date.now();
    await helper.locator('.accept-offer').first().click();
    await resident.locator('.errand-status', { hasText: '已接单' }).waitFor({ timeout: 2_000 });
    const pushed = residentLive.received.find((f) => f.message.type === 'errand.updated' && f.message.status === 'accepted');
    expect(pushed?.message).toMatchObject({ errandId, id: expect.any(Number) });
    expect(pushed!.at - acceptedAt).toBeLessThan(2_000);
    // The page reloaded because of the event, not a poll that happened to come first.
    expect(reloads.length).toBeGreaterThan(0);
    expect(reloads[0]!).toBeGreaterThanOrEqual(pushed!.at);

    await helper.locator('.pickup').click({ timeout: 15_000 });
    await helper.locator('.handover-input:visible input').fill(code, { timeout: 15_000 });
    await shoot(helper, 'helper-task-elderly');
    await helper.locator('.deliver').click();
    await helper.locator('.errand-status', { hasText: '已送达' }).waitFor({ timeout: 15_000 });

    // The delivery shows up without touching anything, through the socket as well.
    await resident.locator('.errand-status', { hasText: '已送达' }).waitFor({ timeout: 20_000 });
    await resident.locator('.nut-button', { hasText: '我收到了' }).click();
    await resident.locator('.errand-status', { hasText: '已完成' }).waitFor({ timeout: 15_000 });
    await shoot(resident, 'resident-errand-completed');
  });

  it('staff see the queue with badges and ages and assign by hand; every role stays usable in 长辈模式', async () => {
    const resident = await loginAs(await phone(), '我是居民');
    await resident.locator('[aria-label="桶装水"]').waitFor();
    await toggleElderly(resident);
    await shoot(resident, 'resident-home-elderly');
    // Usable in elderly mode; marked urgent so it heads the staff queue below.
    await resident.locator('[aria-label="桶装水"]').click();
    await resident.locator('[role="radio"]', { hasText: '很急' }).click();
    await resident.locator('.submit-errand').click();
    await resident.locator('.handover-code').waitFor({ timeout: 15_000 });
    await shoot(resident, 'resident-errand-elderly');

    const staff = await loginAs(await phone(), '我是社区工作者');
    await staff.locator('.queue-entry').first().waitFor({ timeout: 15_000 });
    // Most pressing first: the urgent errand from a closed compound.
    await expect(staff.locator('.queue-entry').first().innerText()).resolves.toMatch(/紧急[\s\S]*封闭小区/);
    await shoot(staff, 'staff-queue');
    await toggleElderly(staff);
    await shoot(staff, 'staff-queue-elderly');
    await staff.locator('.queue-entry').first().click();
    await staff.locator('.helper-choice').first().click({ timeout: 15_000 });
    await shoot(staff, 'staff-assign-elderly');
    await staff.locator('.assign').click();
    // Read before confirming (the dialog ignores taps in its first moments, see ConfirmDialog).
    await staff.waitForTimeout(600);
    await staff.locator('.confirm-dialog__confirm').click();
    await staff.locator('text=现在由').waitFor({ timeout: 15_000 });

    // The resident's page picks up the assignment by itself.
    await resident.locator('.errand-status', { hasText: '已接单' }).waitFor({ timeout: 20_000 });
    await shoot(resident, 'resident-errand-assigned-elderly');
  });

  it('double and triple taps make exactly one change each (submit, repeat, cancel, accept, deliver, assign, staff confirming for others); every page has a way home; the favicon is served', async () => {
    const missing: string[] = [];
    const watch = (page: Page) => page.on('response', (r) => void (r.status() === 404 && missing.push(r.url())));
    const staff = await loginAs(await phone(), '我是社区工作者');
    watch(staff);
    await staff.locator('.logout:visible').waitFor({ timeout: 15_000 });
    let open = await openCount(staff);

    // 提交, twice then three times: one errand each.
    const resident = await loginAs(await phone(), '我是居民');
    watch(resident);
    const residentErrands: string[] = [];
    for (const taps of [2, 3]) {
      await resident.locator('[aria-label="蔬菜"]:visible').click({ timeout: 15_000 });
      await tapBurst(resident, '.submit-errand', taps);
      await resident.locator('.handover-code:visible').waitFor({ timeout: 15_000 });
      residentErrands.push(errandIdOf(resident));
      await resident.waitForTimeout(500);
      expect(await openCount(staff)).toBe((open += 1));
      // A way back home from the errand the form was replaced by.
      await resident.locator('.nav-bar__home:visible').click();
      await resident.locator('.repeat-last:visible').waitFor({ timeout: 15_000 });
    }

    // 再来一单: the taps open one confirmation; the taps on it send one errand.
    for (const [taps, confirmTaps] of [
      [3, 2],
      [2, 3],
    ] as const) {
      await tapBurst(resident, '.repeat-last', taps);
      await expect(resident.locator('[role="dialog"]:visible').innerText()).resolves.toContain('将再提交一单');
      if (taps === 3) await shoot(resident, 'resident-repeat-confirm');
      // The burst's later taps landed on the dialog: nothing was sent, it is still open.
      await resident.waitForTimeout(600);
      expect(await openCount(staff)).toBe(open);
      await tapBurst(resident, '.confirm-dialog__confirm', confirmTaps);
      await resident.locator('.handover-code:visible').waitFor({ timeout: 15_000 });
      residentErrands.push(errandIdOf(resident));
      await resident.waitForTimeout(500);
      expect(await openCount(staff)).toBe((open += 1));
      await resident.locator('.nav-bar__home:visible').click();
      await resident.locator('.repeat-last:visible').waitFor({ timeout: 15_000 });
    }

    // 帮邻居下单: one errand per burst, for a neighbour typed in by the helper.
    const helper = await loginAs(await phone(), '我是党员中心户');
    watch(helper);
    const neighbourErrands: string[] = [];
    for (const taps of [2, 3]) {
      await helper.locator('.nut-button:visible', { hasText: '帮邻居下单' }).click({ timeout: 20_000 });
      await helper.locator('[aria-label="小区"]:visible [role="radio"]').first().click({ timeout: 15_000 });
      await helper.locator('[aria-label="楼栋"]:visible [role="radio"]').nth(1).click();
      await helper.locator('[aria-label="单元"]:visible input').fill('1');
      await helper.locator('[aria-label="楼层"]:visible input').fill('2');
      await helper.locator('[aria-label="门牌号"]:visible input').fill(`20${taps}`);
      await helper.locator('[aria-label="联系人"]:visible input').fill('赵大爷');
      await helper.locator('[aria-label="手机号"]:visible input').fill('13800002222');
      await tapBurst(helper, '.submit-errand', taps);
      await helper.locator('.errand-status:visible').waitFor({ timeout: 15_000 });
      neighbourErrands.push(errandIdOf(helper));
      await helper.waitForTimeout(500);
      expect(await openCount(staff)).toBe((open += 1));
      // The burst's tail did not carry over onto the errand page (取消这单 sits where 提交 was).
      expect(await helper.locator('[role="dialog"]:visible').count()).toBe(0);
      await helper.locator('.nav-bar__home:visible').click();
      await helper.locator('.duty-state:visible').waitFor({ timeout: 15_000 });
    }

    // 我来送 then 已送到: one acceptance and one delivery each.
    for (const [acceptTaps, deliverTaps] of [
      [2, 3],
      [3, 2],
    ] as const) {
      await tapBurst(helper, '.accept-offer', acceptTaps);
      await helper.locator('.pickup:visible').waitFor({ timeout: 15_000 });
      const id = errandIdOf(helper);
      await helper.waitForTimeout(500);
      expect(await stepsTo(staff, id, 'accepted')).toBe(1);
      await helper.locator('.pickup:visible').click();
      const code = (await apiGet<Timeline>(staff, `/errands/${id}`)).handoverCode!;
      await helper.locator('.handover-input:visible input').fill(code, { timeout: 15_000 });
      await tapBurst(helper, '.deliver', deliverTaps);
      await helper.locator('.errand-status:visible', { hasText: '已送达' }).waitFor({ timeout: 15_000 });
      await helper.waitForTimeout(500);
      expect(await stepsTo(staff, id, 'delivered')).toBe(1);
      // Delivered, the helper is not stuck: 回首页 leads back to the offers.
      await helper.locator('.nav-bar__home:visible').click();
      await helper.locator('.duty-state:visible').waitFor({ timeout: 15_000 });
    }

    // 取消这单: the burst opens one confirmation (nothing sent); the burst on it cancels once.
    for (const [taps, confirmTaps] of [[2, 3]] as const) {
      // One still waiting for a helper (the offers this helper takes above are not cancelled under it).
      let id = '';
      for (const candidate of residentErrands) {
        if (['pending', 'offered'].includes((await apiGet<{ status: string }>(staff, `/errands/${candidate}`)).status)) id = candidate;
      }
      expect(id).not.toBe('');
      await resident.goto(`${bff.baseUrl}/#/pages/errand/index?id=${id}`);
      // 取消这单 ignores taps in its first half second on screen (the tail of a double 提交).
      await resident.locator('.cancel-errand:visible').waitFor({ timeout: 15_000 });
      await resident.waitForTimeout(600);
      await tapBurst(resident, '.cancel-errand', taps);
      await expect(resident.locator('[role="dialog"]:visible').innerText()).resolves.toContain('取消后');
      await resident.waitForTimeout(600);
      expect(await stepsTo(staff, id, 'cancelled')).toBe(0);
      await tapBurst(resident, '.confirm-dialog__confirm', confirmTaps);
      await resident.locator('.errand-status:visible', { hasText: '已取消' }).waitFor({ timeout: 15_000 });
      await resident.waitForTimeout(500);
      expect(await stepsTo(staff, id, 'cancelled')).toBe(1);
      expect(await openCount(staff)).toBe((open -= 1));
      // Cancelled, nothing is left to cancel, and no confirmation lingers.
      expect(await resident.locator('.cancel-errand:visible').count()).toBe(0);
      expect(await resident.locator('[role="dialog"]:visible').count()).toBe(0);
    }

    // Staff 指派: the burst on 确定指派 opens one confirmation naming the helper; one assignment.
    for (const [taps, confirmTaps] of [
      [2, 3],
      [3, 2],
    ] as const) {
      const id = neighbourErrands.shift()!;
      await staff.goto(`${bff.baseUrl}/#/staff/pages/assign/index?id=${id}`);
      await staff.locator('.helper-choice:visible').first().click({ timeout: 15_000 });
      await tapBurst(staff, '.assign', taps);
      await expect(staff.locator('[role="dialog"]:visible').innerText()).resolves.toMatch(/确定把这单指派给(.+)吗？\1会收到通知/);
      await staff.waitForTimeout(600);
      expect(await stepsTo(staff, id, 'accepted', 'staff')).toBe(0);
      await tapBurst(staff, '.confirm-dialog__confirm', confirmTaps);
      await staff.locator('text=现在由 >> visible=true').waitFor({ timeout: 15_000 });
      await staff.waitForTimeout(500);
      expect(await stepsTo(staff, id, 'accepted', 'staff')).toBe(1);
    }

    // Staff confirm for someone who cannot: the delivery for a helper (a locked code entry), then the
    // receipt for a resident without the app. Each burst opens one confirmation; each burst on it, one step.
    const helperId = (await apiGet<{ helper: { id: number } }>(helper, '/me')).helper.id;
    const { id: handed } = await apiPost<{ id: string }>(
      resident,
      '/errands',
      { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
      { 'idempotency-key': `e2e-on-behalf-${Date.now()}` },
    );
    await apiPost(staff, `/staff/errands/${handed}/assign`, { helperId, reason: '测试代确认' });
    await apiPost(helper, `/errands/${handed}/pickup`);
    await staff.goto(`${bff.baseUrl}/#/staff/pages/assign/index?id=${handed}`);
    await staff.locator('[aria-label="确认送达的原因"]:visible [role="radio"]').first().click({ timeout: 15_000 });
    for (const [opener, confirmTaps, to, next] of [
      ['.staff-deliver__go', 3, 'delivered', '.staff-confirm__go'],
      ['.staff-confirm__go', 2, 'completed', null],
    ] as const) {
      await tapBurst(staff, opener, 5 - confirmTaps);
      await expect(staff.locator('[role="dialog"]:visible').innerText()).resolves.toMatch(/确定/);
      await staff.waitForTimeout(600);
      expect(await stepsTo(staff, handed, to, 'staff')).toBe(0);
      await tapBurst(staff, '.confirm-dialog__confirm', confirmTaps);
      if (next) await staff.locator(`${next}:visible`).waitFor({ timeout: 15_000 });
      else await staff.locator('.staff-confirm:visible').waitFor({ state: 'detached', timeout: 15_000 });
      await staff.waitForTimeout(500);
      expect(await stepsTo(staff, handed, to, 'staff')).toBe(1);
    }

    // The h5 build links its own icon; no page asked for an icon that was not there.
    const icon = await staff.evaluate(async () => (await fetch('/favicon.svg')).status);
    expect(icon).toBe(200);
    expect(missing.filter((u) => /favicon/.test(u))).toEqual([]);
    expect(await staff.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href'))).toBe('/favicon.svg');
  });
});
