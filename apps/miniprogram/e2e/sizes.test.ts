import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { LOGIN_LABELS, phone, useH5App } from './h5-app';
import { ELDERLY_RULES, NORMAL_RULES, auditContrast, auditSizes, auditWordBreaks, type Samples, type SizeRules } from './size-audit';

// Every page of app.config, as each role sees it with content, in the normal mode and in 长辈模式,
// measured in chromium at a phone's viewport: type, line height, tap targets and contrast.
/** Set to a folder to keep a full-page screenshot of every measured page (to look at the result). */
const screenshotDir = process.env.LINLI_SIZES_SHOTS ? path.resolve(process.env.LINLI_SIZES_SHOTS) : null;

jest.setTimeout(240_000);

type Role = keyof typeof LOGIN_LABELS;
const OPENIDS: Record<Role, string> = { resident: 'demo-resident-1', helper: 'demo-helper-1', staff: 'demo-staff-1' };

/** The pages app.config declares, main package and subpackages, as h5 paths. */
function declaredPages(): string[] {
  (globalThis as Record<string, unknown>).defineAppConfig = (c: unknown) => c;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require('../src/app.config').default as { pages: string[]; subPackages?: { root: string; pages: string[] }[] };
  return [...config.pages, ...(config.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))].map((p) => `/${p}`);
}

const app = useH5App();

async function apiCall<T>(token: string | null, method: string, route: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === 'POST' && route === '/errands') headers['idempotency-key'] = randomUUID();
  const res = await fetch(`${app().bff.baseUrl}/api/v1${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface ErrandRef {
  id: string;
  handoverCode: string | null;
  status: string;
}

/**
 * Errands in every state a page shows: offered (also an offer to the helper), accepted,
 * picked up, delivered, completed and cancelled; staff assign by hand so no dispatch timing is involved.
 */
async function arrangeErrands(): Promise<Record<'offered' | 'accepted' | 'inProgress' | 'delivered' | 'completed' | 'cancelled', string>> {
  const token = async (role: Role) => (await apiCall<{ token: string }>(null, 'POST', '/auth/dev', { openid: OPENIDS[role], role })).token;
  const [resident, helper, staff] = [await token('resident'), await token('helper'), await token('staff')];
  const helpers = await apiCall<{ items: { id: number; name: string }[] }>(staff, 'GET', '/staff/helpers');
  const me = helpers.items.find((h) => h.name === '李卫东');
  if (!me) throw new Error('demo helper 李卫东 not seeded');
  const create = (category: string, name: string, urgency = 'normal', more: { name: string; quantity: number; unit: string }[] = []) =>
    apiCall<ErrandRef>(resident, 'POST', '/errands', {
      category,
      urgency,
      items: [{ name, quantity: 2, unit: '件' }, ...more],
      notes: '放门口就行',
    });
  const assigned = async (category: string, name: string, more: { name: string; quantity: number; unit: string }[] = []) => {
    const e = await create(category, name, 'normal', more);
    await apiCall(staff, 'POST', `/staff/errands/${e.id}/assign`, { helperId: me.id, reason: '社区指派' });
    return (await apiCall<ErrandRef>(resident, 'GET', `/errands/${e.id}`)) satisfies ErrandRef;
  };
  // Finished ones first: the helper's capacity (3) only counts errands under way.
  const cancelled = await create('other', '纸巾', 'normal');
  await apiCall(resident, 'POST', `/errands/${cancelled.id}/cancel`, {});
  const completed = await assigned('grain_oil', '大米');
  await apiCall(helper, 'POST', `/errands/${completed.id}/pickup`);
  await apiCall(helper, 'POST', `/errands/${completed.id}/deliver`, { handoverCode: completed.handoverCode });
  await apiCall(resident, 'POST', `/errands/${completed.id}/confirm`);
  const delivered = await assigned('parcel', '快递');
  await apiCall(helper, 'POST', `/errands/${delivered.id}/pickup`);
  await apiCall(helper, 'POST', `/errands/${delivered.id}/deliver`, { handoverCode: delivered.handoverCode });
  const inProgress = await assigned('medicine', '降压药');
  await apiCall(helper, 'POST', `/errands/${inProgress.id}/pickup`);
  // Items enough to wrap in both modes: each line must break after an item's comma, never inside
  // a name (豆 / 腐) or between an item and its quantity (the word-break audit, on .keep-words).
  const accepted = await assigned('vegetables', '青菜', [
    { name: '西红柿', quantity: 3, unit: '个' },
    { name: '豆腐', quantity: 2, unit: '块' },
    { name: '鸡蛋', quantity: 1, unit: '盒' },
    { name: '小葱', quantity: 1, unit: '把' },
  ]);
  const offered = await create('water', '桶装水', 'urgent');
  // The offer reaches the helper through dispatch: wait for it so the offers page has a card.
  const until = Date.now() + 20_000;
  for (;;) {
    const offers = await apiCall<{ items: { errandId: string }[] }>(helper, 'GET', '/helper/offers');
    if (offers.items.some((o) => o.errandId === offered.id)) break;
    if (Date.now() > until) throw new Error('the helper never got an offer for the water errand');
    await new Promise((r) => setTimeout(r, 250));
  }
  // A 包保 visit for the helper's 探访 list: the first falls due at once, the sweeper's next pass creates it.
  const household = (await apiCall<{ household: { id: number } | null }>(resident, 'GET', '/me')).household;
  if (!household) throw new Error('demo resident has no household');
  await apiCall(staff, 'PUT', `/staff/care/${household.id}`, { helperId: me.id, cadenceDays: 7 });
  const visitUntil = Date.now() + 20_000;
  while ((await apiCall<{ items: unknown[] }>(helper, 'GET', '/helper/visits')).items.length === 0) {
    if (Date.now() > visitUntil) throw new Error('the helper never got the 包保 visit');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    offered: offered.id,
    accepted: accepted.id,
    inProgress: inProgress.id,
    delivered: delivered.id,
    completed: completed.id,
    cancelled: cancelled.id,
  };
}

interface Visit {
  role: Role;
  route: string;
  query?: string;
  what: string;
  /** What must be on screen before measuring: the page shows the state it was opened for. */
  shows: string;
  /** A tap that brings out more of the page before measuring (a second item row, say). */
  tap?: string;
}

function visitsFor(ids: Awaited<ReturnType<typeof arrangeErrands>>): Visit[] {
  const visit =
    (role: Role) =>
    (route: string, what: string, shows: string, query?: string): Visit => ({ role, route, what, shows, query });
  const [r, h, s] = [visit('resident'), visit('helper'), visit('staff')];
  return [
    r('/pages/login/index', 'login', '.nut-switch'),
    r('/pages/home/index', 'home with errands under way', '.repeat-last'),
    r('/pages/errand-form/index', 'form for water', '.submit-errand', 'category=water'),
    {
      ...r('/pages/errand-form/index', 'form for other, two items', '.submit-errand', 'category=other'),
      tap: '.nut-button:has-text("再加一样")',
    },
    r('/pages/errands/index', 'all errands', '.errand-card'),
    r('/pages/errand/index', 'errand offered', '.handover-code', `id=${ids.offered}`),
    r('/pages/errand/index', 'errand accepted', 'text=帮您送货的人', `id=${ids.accepted}`),
    r('/pages/errand/index', 'errand delivered', 'text=我收到了', `id=${ids.delivered}`),
    r('/pages/errand/index', 'errand completed, to rate', 'text=送出感谢', `id=${ids.completed}`),
    r('/pages/errand/index', 'errand cancelled', 'text=这单已取消', `id=${ids.cancelled}`),
    r('/pages/household/index', 'household', '.nut-checkbox'),
    h('/helper/pages/offers/index', 'offers', '.accept-offer'),
    h('/helper/pages/tasks/index', 'tasks', '.errand-card'),
    h('/helper/pages/task/index', 'task accepted', '.pickup', `id=${ids.accepted}`),
    h('/helper/pages/task/index', 'task picked up', '.handover-input', `id=${ids.inProgress}`),
    h('/helper/pages/neighbour/index', 'for a neighbour', '.nut-checkbox'),
    h('/helper/pages/record/index', 'record', '.record-figure'),
    h('/helper/pages/visits/index', 'care visits', '.visit-card'),
    s('/staff/pages/queue/index', 'queue', '.queue-badge'),
    s('/staff/pages/assign/index', 'assign an offered errand', '.helper-choice', `id=${ids.offered}`),
    s('/staff/pages/assign/index', 'reassign an accepted errand', 'text=改派原因', `id=${ids.accepted}`),
    s('/staff/pages/assign/index', 'confirm a delivery for the helper', 'text=替送货人确认送达', `id=${ids.inProgress}`),
    s('/staff/pages/assign/index', 'confirm a receipt for the resident', 'text=替住户确认收到', `id=${ids.delivered}`),
    s('/staff/pages/helpers/index', 'helpers', '.helper-row'),
    s('/staff/pages/compounds/index', 'compounds', '.compound-row'),
  ];
}

async function loginAs(context: BrowserContext, role: Role): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app().bff.baseUrl}/`);
  await page.locator('.nut-button', { hasText: LOGIN_LABELS[role] }).click();
  await page.waitForURL((u) => !u.hash.includes('login'), { timeout: 15_000 });
  return page;
}

async function setMode(page: Page, elderly: boolean): Promise<void> {
  // Taro h5's own storage format: an explicit choice, as the switch would store it.
  await page.evaluate((on) => localStorage.setItem('linli.elderlyMode', JSON.stringify({ data: on })), elderly);
}

/** Loads one page from scratch and waits until its content (not the loading card) is on screen. */
async function open(page: Page, visit: Visit): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${app().bff.baseUrl}/#${visit.route}${visit.query ? `?${visit.query}` : ''}`);
  await page.locator('.page').first().waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => !document.body.innerText.includes('正在加载'), null, { timeout: 15_000 });
  await page.locator(visit.shows).first().waitFor({ timeout: 15_000 });
  if (visit.tap) await page.locator(visit.tap).first().click();
  // NutUI's transitions and Taro's async input rendering settle.
  await page.waitForTimeout(250);
}

interface Finding {
  where: string;
  line: string;
}

/** `.keep-words` lines measured over every page (the check must have had something to look at). */
/** The `.keep-words` lines the word-break audit read, over all pages and both modes. */
const partLines: string[] = [];

/** Smallest sizes of the sampled components over every page, per mode, for the log. */
const smallest: Record<string, Samples> = {};

function remember(mode: string, samples: Samples): void {
  const into = (smallest[mode] ??= {});
  for (const [name, s] of Object.entries(samples)) {
    const seen = into[name];
    into[name] = seen
      ? { font: Math.min(seen.font, s.font), width: Math.min(seen.width, s.width), height: Math.min(seen.height, s.height) }
      : { ...s };
  }
}

async function audit(page: Page, visit: Visit, mode: string, rules: SizeRules): Promise<Finding[]> {
  const where = `${visit.role} ${visit.route}${visit.query ? `?${visit.query}` : ''} (${visit.what}) [${mode}]`;
  const sizes = await auditSizes(page, rules);
  remember(mode, sizes.samples);
  const contrast = await auditContrast(page);
  const breaks = await auditWordBreaks(page);
  partLines.push(...breaks.lines);
  if (screenshotDir)
    await page.screenshot({ path: path.join(screenshotDir, `${where.replace(/[^\w\u4e00-\u9fff]+/g, '_')}.png`), fullPage: true });
  const measuredNothing = sizes.texts === 0 ? [{ where, line: 'measured no text at all' }] : [];
  return [
    ...measuredNothing,
    ...sizes.problems.map((p) => ({ where, line: `${p.kind} ${p.element} "${p.text}" ${p.measured}` })),
    ...contrast.map((p) => ({ where, line: `contrast ${p.element} ${p.text} — ${p.measured}` })),
    ...breaks.problems.map((line) => ({ where, line })),
  ];
}

describe('适老化 sizes on every page, both modes', () => {
  it('every visible text, line height, tap target and contrast meets the national sizes, and no page logs an error', async () => {
    if (screenshotDir) mkdirSync(screenshotDir, { recursive: true });
    const ids = await arrangeErrands();
    const visits = visitsFor(ids);
    const missing = declaredPages().filter((p) => !visits.some((v) => v.route === p));
    expect(missing).toEqual([]);

    const findings: Finding[] = [];
    const modes: [string, boolean, SizeRules][] = [
      ['normal', false, NORMAL_RULES],
      ['长辈模式', true, ELDERLY_RULES],
    ];
    for (const role of ['resident', 'helper', 'staff'] as Role[]) {
      const context = await phone(app(), { width: 375, height: 812 }, 1);
      const page = await loginAs(context, role);
      // A page that throws or logs an error while it is drawn is a finding too (Taro's h5 input
      // threw on every field of the address page once). Failed requests are the app's to report.
      const logged: string[] = [];
      page.on('pageerror', (e) => logged.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
          logged.push(`console error: ${m.text().split('\n')[0]}`);
      });
      for (const [mode, elderly, rules] of modes) {
        await setMode(page, elderly);
        for (const visit of visits.filter((v) => v.role === role)) {
          await open(page, visit);
          const inElderly = await page.locator('.page--elderly').count();
          if (Boolean(inElderly) !== elderly) findings.push({ where: `${visit.route} [${mode}]`, line: 'mode not applied' });
          findings.push(...(await audit(page, visit, mode, rules)));
          findings.push(...logged.splice(0).map((line) => ({ where: `${visit.route} [${mode}]`, line })));
        }
      }
      await context.close();
    }

    const summary = Object.entries(smallest).flatMap(([mode, samples]) =>
      Object.entries(samples).map(
        ([name, s]) =>
          `${mode.padEnd(6)} ${name.padEnd(15)} font ≥ ${s.font.toFixed(1)}px, box ≥ ${s.width.toFixed(1)} × ${s.height.toFixed(1)}`,
      ),
    );
    console.log(
      `Smallest sizes measured at 375 × 812:\n${summary.join('\n')}\nLines of parts checked for breaks inside a word: ${partLines.length}`,
    );
    const report = [...new Set(findings.map((f) => `${f.where}: ${f.line}`))];
    if (report.length > 0) console.log(`Size problems (${report.length}):\n${report.join('\n')}`);
    expect(report).toEqual([]);
    expect(partLines.length).toBeGreaterThan(20);
    // Items lines are among them (the accepted errand's five items wrap in both modes).
    expect(partLines.filter((l) => l.includes('豆腐')).length).toBeGreaterThan(10);
  });
});
