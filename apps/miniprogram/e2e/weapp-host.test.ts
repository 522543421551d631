import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ERRAND_ID, errand, me, offer, queueEntry, summary } from '../test/support/fixtures';
import { WeappHost, type Responder } from './weapp-host';

// Runs the built WeChat bundle (dist/weapp) in Node under a stand-in host and opens every page
// listed in app.json: proof that the bundle WeChat would load actually runs and renders.
const dist = path.resolve(__dirname, '../dist/weapp');

const helperProfile = {
  id: 7,
  kind: 'household_head',
  verified: true,
  onDuty: true,
  capacity: 3,
  canCarryHeavy: true,
  communityId: 1,
  zoneBuildingIds: [2],
};
const user = me({ roles: ['resident', 'helper', 'staff'], helper: helperProfile as never });
const compounds = {
  items: [{ id: 1, name: '河畔花园', lockdown: 'closed', buildings: [{ id: 2, name: '2号楼', floors: 6, hasLift: false }] }],
};

const responses: Record<string, unknown> = {
  'GET /auth/options': {
    devLogin: false,
    wechatLogin: true,
    subscribeTemplates: { offerCreated: 'tpl-offer', errandAccepted: 'tpl-accepted', errandDelivered: null },
  },
  'POST /errands': errand('offered'),
  'GET /me': user,
  'GET /errands': { items: [summary('offered')] },
  [`GET /errands/${ERRAND_ID}`]: errand('accepted', {
    viewerRole: 'helper',
    address: { unit: '1', room: '601', contactName: '王秀兰', phone: '13800001111' },
  }),
  'GET /communities': { items: [{ id: 1, name: '河畔社区', street: '五里河街道', district: '沈河区' }] },
  'GET /communities/1/compounds': compounds,
  'GET /helper/offers': { items: [offer()] },
  'GET /helper/tasks': { items: [summary('accepted')] },
  'GET /helper/record': {
    completed: 22,
    inProgress: 1,
    hoursOnDuty: 86.5,
    averageStars: 4.9,
    thanks: 18,
    since: '2026-11-01T00:00:00.000Z',
  },
  'GET /helper/visits': {
    items: [
      {
        id: 1,
        householdId: 11,
        place: '2号楼1单元601室',
        contactName: '王秀兰',
        phone: '13800001111',
        dueAt: '2026-11-30T01:00:00.000Z',
        status: 'pending',
        outcome: null,
        errandId: null,
      },
    ],
  },
  'GET /staff/queue': {
    items: [queueEntry('escalated', { priority: 90, ageSeconds: 720, badges: ['urgent', 'escalated'] })],
    nextCursor: null,
    counts: { all: 1, unmatched: 0, offered: 0, escalated: 1, in_progress: 0, delivered: 0 },
    tierCounts: { red: 0, yellow: 1, blue: 0 },
  },
  'GET /staff/helpers': {
    items: [
      {
        id: 7,
        userId: 3,
        name: '李卫东',
        phone: '13801010101',
        kind: 'household_head',
        verified: true,
        onDuty: true,
        capacity: 3,
        canCarryHeavy: true,
        activeTasks: 0,
        rating: 4.9,
      },
    ],
  },
};
const respond: Responder = (method, route) => {
  const body = responses[`${method} ${route}`];
  return body === undefined ? [404, { error: { code: 'NOT_FOUND', message: '找不到' } }] : [200, body];
};

/** What each page must show once its data arrived (query, expected words). */
const EXPECTED: Record<string, { query?: Record<string, string>; shows: string[] }> = {
  'pages/home/index': { shows: ['桶装水', '王秀兰，您好', '再来一单'] },
  'pages/login/index': { shows: ['微信一键登录'] },
  'pages/errand-form/index': { query: { category: 'water' }, shows: ['桶装水 18.9L', '提交'] },
  'pages/errands/index': { shows: ['等待接单'] },
  'pages/errand/index': { query: { id: ERRAND_ID }, shows: ['李卫东', '4821'] },
  'pages/household/index': { shows: ['河畔花园', '保存住址'] },
  'helper/pages/offers/index': { shows: ['我来送', '6楼\u00a0· 无电梯'] },
  'helper/pages/tasks/index': { shows: ['已接单'] },
  'helper/pages/task/index': { query: { id: ERRAND_ID }, shows: ['1单元 601 · 王秀兰', '东西已取到，出发'] },
  'helper/pages/neighbour/index': { shows: ['邻居的住址', '河畔花园'] },
  'helper/pages/record/index': { shows: ['22 单', '86.5 小时'] },
  'helper/pages/visits/index': { shows: ['2号楼1单元601室', '平安'] },
  'staff/pages/queue/index': { shows: ['已上报', '已等12分钟'] },
  'staff/pages/assign/index': { query: { id: ERRAND_ID }, shows: ['李卫东', '已接单'] },
  'staff/pages/helpers/index': { shows: ['李卫东', '已认证'] },
  'staff/pages/compounds/index': { shows: ['河畔花园', '封闭'] },
};

function pagesOf(appJson: { pages: string[]; subPackages?: { root: string; pages: string[] }[] }): string[] {
  return [...appJson.pages, ...(appJson.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))];
}

async function until(check: () => boolean, ms = 4_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the built WeChat bundle under a stand-in wx host', () => {
  const appJson = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'));
  const host = new WeappHost(dist, respond);

  beforeAll(() => {
    if (!existsSync(path.join(dist, 'app.js'))) throw new Error('No weapp build: run `npm run build:weapp -w @linli/miniprogram` first');
    host.storage.set('linli.session', { token: 'weapp-token', expiresAt: '2026-12-28T00:00:00.000Z', user, activeRole: 'resident' });
    host.launch();
  });

  afterAll(() => host.close());

  it('lists exactly the pages we expect, helper and staff ones in subpackages', () => {
    expect(pagesOf(appJson).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(appJson.subPackages.map((s: { root: string }) => s.root)).toEqual(['helper', 'staff']);
    expect(appJson.requiredPrivateInfos).toEqual(['getLocation']);
  });

  it.each(Object.entries(EXPECTED))('opens %s and renders its data', async (route, { query, shows }) => {
    const page = host.open(route, query);
    await until(() => shows.every((s) => page.text().includes(s)));
    for (const words of shows) expect(page.text()).toContain(words);
  });

  it('renders with 长辈模式 when the switch was left on, as a fresh start of the app would', async () => {
    const elderlyHost = new WeappHost(dist, respond);
    elderlyHost.storage.set('linli.session', host.storage.get('linli.session'));
    elderlyHost.storage.set('linli.elderlyMode', true);
    elderlyHost.launch();
    const page = elderlyHost.open('pages/home/index');
    await until(() => page.text().includes('再来一单'));
    elderlyHost.close();
    expect(page.text()).toContain('page--elderly');
    expect(host.open('pages/home/index').text()).not.toContain('page--elderly');
  });

  it("follows WeChat's font setting until the person chooses: 关怀模式 size turns 长辈模式 on, a larger font scales the type", async () => {
    const opened = async (fontScale: number, stored?: boolean) => {
      const fontHost = new WeappHost(dist, respond);
      fontHost.fontScale = fontScale;
      fontHost.storage.set('linli.session', host.storage.get('linli.session'));
      if (stored !== undefined) fontHost.storage.set('linli.elderlyMode', stored);
      fontHost.launch();
      const page = fontHost.open('pages/home/index');
      await until(() => page.text().includes('再来一单'));
      fontHost.close();
      return page.text();
    };
    expect(await opened(23.8 / 17)).toContain('page--elderly');
    const larger = await opened(1.25);
    expect(larger).not.toContain('page--elderly');
    expect(larger).toContain('--linli-font-scale');
    expect(await opened(1.4, false)).not.toContain('page--elderly');
  });

  it('keeps one socket for all the open pages, says hello with the stored token, and reloads the errand page when told', async () => {
    await until(() => host.sockets.length > 0);
    expect(host.sockets.map((s) => s.url)).toEqual(['ws://127.0.0.1:3000/api/v1/ws']);
    const socket = host.sockets[0]!;
    socket.open();
    expect(socket.sent.map((m) => JSON.parse(m))).toEqual([{ type: 'hello', token: 'weapp-token' }]);
    socket.push({ type: 'welcome', lastEventId: 0, resync: false });

    const errandLoads = () => host.requests.filter((r) => r === `GET /errands/${ERRAND_ID}`).length;
    const before = errandLoads();
    socket.push({ type: 'errand.updated', id: 1, at: Date.now(), errandId: ERRAND_ID, status: 'in_progress' });
    await until(() => errandLoads() > before);
    expect(errandLoads()).toBeGreaterThan(before);
    expect(host.appShowListeners.length).toBeGreaterThan(0);
    expect(host.sockets).toHaveLength(1);
  });

  it('asks WeChat for consent from the 提交 tap itself (Taro keeps it in the tap), then submits', async () => {
    expect(host.requests.filter((r) => r === 'GET /auth/options')).toEqual(['GET /auth/options']);
    const page = host.open('pages/errand-form/index', { category: 'water' });
    await until(() => page.text().includes('桶装水 18.9L'));
    const posted = () => host.requests.filter((r) => r === 'POST /errands').length;
    const before = posted();
    page.tap('提交');
    expect(host.subscribeRequests).toEqual([{ tmplIds: ['tpl-accepted'], inTap: true }]);
    await until(() => host.navigations.includes(`redirectTo /pages/errand/index?id=${ERRAND_ID}`));
    expect(posted()).toBe(before + 1);
    expect(host.navigations).toContain(`redirectTo /pages/errand/index?id=${ERRAND_ID}`);
  });

  it('sent the session token with its requests and never went back to login', () => {
    expect(host.requests).toContain('GET /errands');
    expect(host.navigations.filter((n) => n.includes('login'))).toEqual([]);
  });
});
