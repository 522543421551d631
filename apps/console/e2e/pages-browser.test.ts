import { execFileSync } from 'node:child_process';
import type { Browser, Locator, Page, Route } from 'playwright-core';
import { startBff, type RunningBff } from '../../miniprogram/e2e/bff-process';
import { DemoApi } from '../../bff/src/modules/demo/demo-day';
import { DESK, consoleDir, h5Dir, launchChromium, requireBuilds, shoot, waitUntil } from './desk-browser-support';

// Every desk page in Chromium against the BFF with the demo district seeded (its default config:
// seed.demoCommunity and dev login on), after a day of errands made through the API. The
// screenshots of the registry, helpers, compounds, statistics and overview come from here.

jest.setTimeout(120_000);

let bff: RunningBff;
let browser: Browser;

beforeAll(async () => {
  requireBuilds([{ dir: consoleDir, command: 'npm run build -w @linli/console' }]);
  // Residents, helpers and staff of five communities log in to make the day: more than a minute's login limit.
  bff = await startBff(h5Dir, { RATE_LIMIT_LOGIN_PER_MINUTE: '500' });
  const [made] = await Promise.all([new DemoApi(bff.baseUrl).playDay(), launchChromium().then((b) => (browser = b))]);
  console.log(`demo day: ${made} errands made through the API`);
});

afterAll(async () => {
  await browser?.close();
  await bff?.stop();
});

interface DeskPage {
  key: string;
  title: string;
  /** The page's main table, chart or field: it must be in view without scrolling. */
  main: string;
  shot?: string;
}
const TABLE = '.ant-layout-content .ant-table';
const COMMUNITY_PAGES: DeskPage[] = [
  { key: 'board', title: '值班台', main: TABLE },
  { key: 'intake', title: '电话代下单', main: '[aria-label="搜索住户"]' },
  { key: 'registry', title: '住户台账', main: TABLE, shot: 'registry' },
  { key: 'helpers', title: '党员中心户', main: TABLE, shot: 'helpers' },
  { key: 'compounds', title: '小区管控', main: TABLE, shot: 'compounds' },
  { key: 'stats', title: '统计', main: '[role="img"][aria-label="每日新建与完成"]', shot: 'stats' },
];
const OVERSIGHT: DeskPage = { key: 'oversight', title: '街道/区总览', main: TABLE };
const WIDE_STATS: DeskPage = { key: 'stats', title: '统计', main: '[role="img"][aria-label="每日新建与完成"]' };

/** Logs in through the console's dev login as one of the demo's desk people (the first is 河畔社区's staff). */
async function deskLogin(person?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${bff.baseUrl}/console/login`);
  const enter = page.getByRole('button', { name: '进入工作台' });
  await enter.waitFor({ timeout: 30_000 });
  if (person) {
    await page.locator('.ant-card .ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: person }).click();
  }
  await enter.click();
  await page.waitForURL(/\/console\/(board|oversight)$/);
  return page;
}

/** Opens a page and waits until it has shown its data: its main element there, no spinner left. */
async function open(page: Page, p: DeskPage): Promise<void> {
  if (!page.url().endsWith(`/console/${p.key}`)) await page.goto(`${bff.baseUrl}/console/${p.key}`);
  await page.locator('.ant-layout-content .ant-card-head-title', { hasText: p.title }).first().waitFor({ timeout: 20_000 });
  await page.locator(p.main).first().waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'), undefined, { timeout: 20_000 });
}

/** What a desk at 1366 × 768 sees of the page without scrolling. */
function fit(page: Page, main: string) {
  return page.evaluate((mainSelector) => {
    const doc = document.documentElement;
    const seen = (el: Element | null) => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.top >= 0 && r.top < innerHeight && r.left >= 0 && r.right <= doc.clientWidth;
    };
    return {
      sideways: doc.scrollWidth - doc.clientWidth,
      titleInView: seen(document.querySelector('.ant-layout-content .ant-card-head-title')),
      mainInView: seen(document.querySelector(mainSelector)),
      // A toolbar pushed past the card's edge is cut off rather than scrolled: it must fit too.
      toolbarsInView: [...document.querySelectorAll('[data-testid="list-toolbar"]')].every(seen),
      // The smallest text a desk reads on the page (≥ 12 px, the non-elderly rule), with what it says.
      smallestText: [...document.querySelectorAll('body *')]
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''))
        .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
        .map((el) => ({ px: parseFloat(getComputedStyle(el).fontSize), text: el.textContent!.trim().slice(0, 20) }))
        .reduce((a, b) => (b.px < a.px ? b : a), { px: Infinity, text: '' }),
    };
  }, main);
}

async function expectFits(page: Page, p: DeskPage): Promise<void> {
  const { smallestText, ...layout } = await fit(page, p.main);
  expect({ page: p.key, ...layout }).toEqual({
    page: p.key,
    sideways: 0,
    titleInView: true,
    mainInView: true,
    toolbarsInView: true,
  });
  // The smallest text a desk reads must be at least 12 px (the non-elderly rule); say which when not.
  expect({ page: p.key, smallText: smallestText.px >= 12 ? null : smallestText }).toEqual({ page: p.key, smallText: null });
}

/** The audit log's rows of one action, read through the BFF's audit route with the desk's own session. */
function auditRows(page: Page, action: string): Promise<{ targetId: string; after: Record<string, unknown> | null }[]> {
  return page.evaluate(async (a) => {
    const { token } = JSON.parse(localStorage.getItem('linli.console.session') ?? '{}') as { token?: string };
    const res = await fetch(`/api/v1/staff/audit?action=${a}&limit=200`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { items: { targetId: string; after: Record<string, unknown> | null }[] }).items;
  }, action);
}

/** Two clicks before the page can redraw: a double click on a busy desk PC. */
const doubleClick = (target: Locator) =>
  target.evaluate((el: HTMLElement) => {
    el.click();
    el.click();
  });

/**
 * The desk double-clicks the confirmation's OK, and clicks it once more as it zooms out after the
 * answer came (antd takes clicks again then). `change` is the path the change goes to.
 */
async function doubleTapOk(page: Page, change: RegExp): Promise<void> {
  const confirm = page.locator('.ant-modal-confirm');
  await confirm.first().waitFor();
  await page.waitForTimeout(300); // a second dialog from a double click on the opener would be open by now
  expect(await confirm.count()).toBe(1);
  const ok = confirm.locator('.ant-modal-confirm-btns .ant-btn-primary');
  const answered = page.waitForResponse((r) => r.request().method() !== 'GET' && change.test(new URL(r.url()).pathname));
  await doubleClick(ok);
  await answered;
  await page.waitForFunction(() => !document.querySelector('.ant-modal-confirm .ant-btn-loading'));
  await ok.evaluate((el: HTMLElement) => el.click(), undefined, { timeout: 500 }).catch(() => undefined);
  await confirm.waitFor({ state: 'detached', timeout: 10_000 });
}

describe('the desk pages in a browser, against the demo district', () => {
  it('community staff: every page fits 1366 × 768 with its title and its table or chart in view', async () => {
    const page = await deskLogin();
    for (const p of COMMUNITY_PAGES) {
      await open(page, p);
      if (p.main === TABLE) await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: 20_000 });
      await expectFits(page, p);
      if (p.key === 'stats') await page.waitForTimeout(1200); // the charts draw in
      if (p.shot) await shoot(page, p.shot);
    }
    // The day's figures reached the statistics: 13 errands asked in 河畔社区, 7 of them completed.
    const figure = (title: string) =>
      page.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content-value').first().innerText();
    expect({ created: await figure('新建代办'), completed: await figure('已完成') }).toEqual({ created: '13', completed: '7' });
    // The board's details drawer (D on the selected row) meets the 12 px rule too.
    await open(page, COMMUNITY_PAGES[0]!);
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('d');
    await page.locator('.ant-drawer-body .ant-descriptions').waitFor({ timeout: 20_000 });
    const drawer = (await fit(page, '.ant-drawer-body')).smallestText;
    expect({ drawer: drawer.px >= 12 ? null : drawer }).toEqual({ drawer: null });
    await page.keyboard.press('Escape');
    await page.context().close();
  });

  it('digits are drawn in a text face, not with the emoji font a Linux desk has (Noto Color Emoji)', async () => {
    // The check means something only where the emoji font is installed (.ci/run installs it).
    expect(execFileSync('fc-list', [':family'], { encoding: 'utf8' })).toContain('Noto Color Emoji');
    const page = await deskLogin();
    await open(page, COMMUNITY_PAGES[0]!);
    // The same digits in the page's own font and in the plain sans-serif face: the emoji font's
    // keycap digits are about half as wide again.
    const widths = await page.evaluate(() => {
      const width = (font: string) => {
        const span = document.createElement('span');
        span.textContent = '13912345678 01:33';
        span.style.fontFamily = font;
        span.style.fontSize = '14px';
        document.body.append(span);
        const w = span.getBoundingClientRect().width;
        span.remove();
        return w;
      };
      return { page: width(getComputedStyle(document.querySelector('.ant-table')!).fontFamily), plain: width('sans-serif') };
    });
    expect(widths.page / widths.plain).toBeLessThan(1.15);
    await page.context().close();
  });

  it('street and district staff: the overview rolls up their communities, read-only, and statistics fit', async () => {
    for (const [person, communities] of [
      ['刘芳', 2],
      ['陈志刚', 5],
    ] as const) {
      const page = await deskLogin(person);
      await open(page, OVERSIGHT);
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await waitUntil(`${communities} communities in ${person}'s overview`, async () => (await rows.count()) === communities);
      await expectFits(page, OVERSIGHT);
      if (communities === 5) {
        await shoot(page, 'oversight');
        // The drill-down: one community's open errands, read-only.
        await page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '河畔社区' }).click();
        await page.getByText('河畔社区 未完成的代办').waitFor();
        await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
        const drillRows = page.locator('.ant-table-tbody tr.ant-table-row');
        expect(await drillRows.count()).toBeGreaterThan(0);
        expect(await page.getByRole('button', { name: /派\s?单|改\s?派/ }).count()).toBe(0);
        // A desk above the community reads residents masked, as in the registry (王** not 王秀兰).
        const column = (await page.locator('.ant-table-thead th').allInnerTexts()).findIndex((h) => h.trim() === '住户');
        expect(column).toBeGreaterThanOrEqual(0);
        const residents = await drillRows.evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent ?? ''), column);
        expect(residents.filter((name) => !name.includes('*'))).toEqual([]);
        const { smallestText } = await fit(page, '.ant-table-tbody');
        expect(smallestText.px).toBeGreaterThanOrEqual(12);
      }
      await open(page, WIDE_STATS);
      await expectFits(page, WIDE_STATS);
      await page.context().close();
    }
  });

  it('a double click verifies, changes a lockdown, assigns, cancels and confirms for others once: one change, one audit row each', async () => {
    const page = await deskLogin();
    await open(page, COMMUNITY_PAGES[3]!);
    const helperRow = page.locator(TABLE).first().locator('tr.ant-table-row', { hasText: '冯晓雪' });
    await doubleClick(helperRow.getByRole('button', { name: '撤销认证' }));
    await doubleTapOk(page, /\/helpers\/\d+\/verify$/);
    await helperRow.getByText('待认证').waitFor();
    expect(await auditRows(page, 'helper.verify')).toHaveLength(1);
    await doubleClick(helperRow.getByRole('button', { name: '认 证', exact: true }));
    await doubleTapOk(page, /\/helpers\/\d+\/verify$/);
    await helperRow.getByText('已认证').waitFor();
    expect((await auditRows(page, 'helper.verify')).map((r) => r.after)).toEqual([{ verified: true }, { verified: false }]);

    await open(page, COMMUNITY_PAGES[4]!);
    const compoundRow = page.locator(TABLE).first().locator('tr.ant-table-row', { hasText: '青年大街108号院' });
    await compoundRow.locator('.ant-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '管控' }).click();
    await doubleTapOk(page, /\/compounds\/\d+\/lockdown$/);
    await compoundRow.locator('.ant-select', { hasText: '管控' }).waitFor();
    expect((await auditRows(page, 'compound.lockdown')).map((r) => r.after)).toEqual([{ lockdown: 'controlled' }]);

    // The board's assign: the dialog's OK and then the confirmation's, each double-clicked.
    await open(page, COMMUNITY_PAGES[0]!);
    const waiting = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '王秀兰' });
    await waiting.getByRole('button', { name: /^派\s?单$/ }).click();
    await page.locator('[data-testid="assign-candidate"]').first().waitFor({ timeout: 20_000 });
    await doubleClick(page.getByRole('button', { name: '派单（Enter）' }));
    await doubleTapOk(page, /\/errands\/[^/]+\/assign$/);
    await page.locator('.ant-modal', { hasText: '派单（Enter）' }).waitFor({ state: 'hidden' });
    expect(await auditRows(page, 'errand.assign')).toHaveLength(1);

    // The caller no longer needs it: 取消代办 from the details drawer, its OK double-clicked.
    const cancelsBefore = (await auditRows(page, 'errand.cancel')).length;
    const assigned = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '王秀兰' }).first();
    await assigned.getByRole('button', { name: /详\s*情/ }).click();
    await doubleClick(page.getByTestId('errand-step-in').getByRole('button', { name: '取消代办' }));
    const cancelDialog = page.locator('.ant-modal', { hasText: '取消后不能恢复' });
    await cancelDialog.waitFor();
    expect(await page.locator('.ant-modal:visible', { hasText: '取消后不能恢复' }).count()).toBe(1);
    await cancelDialog.getByLabel('原因').fill('住户来电说不需要了');
    const cancelled = page.waitForResponse((r) => r.request().method() === 'POST' && /\/errands\/[^/]+\/cancel$/.test(r.url()));
    await doubleClick(cancelDialog.getByRole('button', { name: /确定取消/ }));
    expect((await cancelled).status()).toBe(200);
    await page.locator('.ant-drawer-title', { hasText: '已取消' }).waitFor();
    await page.waitForTimeout(500);
    const cancels = await auditRows(page, 'errand.cancel');
    expect(cancels).toHaveLength(cancelsBefore + 1);

    // Confirming for someone who cannot: 代确认送达 on an errand in hand, 代确认收到 on a delivered one,
    // each OK double-clicked: one change and one audit row each.
    for (const [status, button, dialogText, audit, after] of [
      ['配送中', '代确认送达', '替送货人确认送达', 'errand.deliver_confirm', '已送达'],
      ['已送达', '代确认收到', '替住户确认收到', 'errand.confirm', '已完成'],
    ] as const) {
      const before = (await auditRows(page, audit)).length;
      await page.locator('.ant-drawer-close').click();
      await page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
      const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: status }).first();
      await row.getByRole('button', { name: /详\s*情/ }).click();
      await page.getByTestId('errand-step-in').getByRole('button', { name: button }).click();
      const dialog = page.locator('.ant-modal', { hasText: dialogText });
      await dialog.waitFor();
      if (audit === 'errand.deliver_confirm') await dialog.getByLabel('原因').fill('已电话核实，东西已送到');
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && /\/(deliver|confirm)$/.test(r.url()));
      await doubleClick(dialog.locator('.ant-btn-primary'));
      expect((await answered).status()).toBe(200);
      await page.locator('.ant-drawer-title', { hasText: after }).waitFor();
      await page.waitForTimeout(500);
      expect(await auditRows(page, audit)).toHaveLength(before + 1);
    }
    await page.context().close();
  });

  it('a page whose data does not come shows a Chinese error with 重新加载, and loads on retry', async () => {
    const page = await deskLogin();
    const failing = async (route: Route) =>
      route.fulfill({ status: 500, json: { error: { code: 'INTERNAL', message: 'Internal Server Error' } } });
    for (const p of COMMUNITY_PAGES.filter((x) => x.key !== 'intake')) {
      await page.route('**/api/v1/**', failing);
      await page.goto(`${bff.baseUrl}/console/${p.key}`);
      const error = page.locator('.ant-alert-error', { hasText: '没有加载出来' }).first();
      await error.waitFor({ timeout: 20_000 });
      expect(await error.innerText()).toContain('服务器暂时出了问题，请稍后重试');
      await page.unroute('**/api/v1/**', failing);
      await error.getByRole('button', { name: '重新加载' }).click();
      await open(page, p);
      if (p.main === TABLE) await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: 20_000 });
      expect(await page.locator('.ant-alert-error', { hasText: '没有加载出来' }).count()).toBe(0);
    }
    // The hotline's search says it too, and keeps what was typed for another Enter.
    await page.route('**/api/v1/**', failing);
    await page.goto(`${bff.baseUrl}/console/intake`);
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '搜索住户');
    await page.keyboard.type('王秀兰');
    await page.keyboard.press('Enter');
    await page.locator('.ant-alert-error', { hasText: '服务器暂时出了问题' }).waitFor();
    await page.unroute('**/api/v1/**', failing);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="household-option"]').first().waitFor();
    await page.context().close();
  });

  it('with the BFF stopped, an open page and a page not loaded yet each say what to do (last: it stops the BFF)', async () => {
    const page = await deskLogin();
    await open(page, COMMUNITY_PAGES[4]!); // its code is in the browser now; the statistics' is not
    await page.getByRole('menuitem', { name: '值班台' }).click();
    await open(page, COMMUNITY_PAGES[0]!);
    await bff.stop();
    await page.getByRole('menuitem', { name: '小区管控' }).click();
    const error = page.locator('.ant-alert-error', { hasText: '没有加载出来' }).first();
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toContain('连不上服务器：请检查网络连接');
    await error.getByRole('button', { name: '重新加载' }).waitFor();
    await page.getByRole('menuitem', { name: '统计' }).click();
    await page.locator('.ant-alert-error', { hasText: '页面没有打开' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '重新加载' }).waitFor();
    await page.context().close();
  });
});
