import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Queue from '../src/staff/pages/queue/index';
import Assign from '../src/staff/pages/assign/index';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn, me, queueEntry } from './support/fixtures';
import { host } from './support/taro-fake';

const counts = { all: 2, unmatched: 0, offered: 1, escalated: 1, in_progress: 0, delivered: 0 };
const tierCounts = { red: 1, yellow: 1, blue: 0 };
const staffUser = me({ name: '张敏', roles: ['staff'], household: null });
const helper = (id: number, name: string, extra: object = {}) => ({
  id,
  userId: id + 100,
  name,
  phone: '13801010101',
  kind: 'household_head',
  verified: true,
  onDuty: true,
  capacity: 3,
  canCarryHeavy: true,
  activeTasks: 0,
  rating: null,
  ...extra,
});

beforeEach(() => loggedIn('staff', staffUser));

describe('staff pages', () => {
  it('shows the queue in the order served, with badges and how long each has waited, and filters it', async () => {
    fakeBff.on('GET /staff/queue', ({ query }) => [
      200,
      {
        items: query.includes('escalated')
          ? []
          : [
              queueEntry('escalated', { id: 'BBBBBBBBBBBBBBBBBBBBBB', priority: 90, ageSeconds: 3720, badges: ['urgent', 'escalated'] }),
              queueEntry('offered', { priority: 40, ageSeconds: 30, badges: ['closed_compound'] }),
            ],
        nextCursor: null,
        counts,
        tierCounts,
      },
    ]);
    render(<Queue />);
    const entries = await screen.findAllByText(/^已等/);
    expect(entries.map((e) => e.textContent)).toEqual(['已等1小时2分钟', '已等不到1分钟']);
    expect(screen.getByText('已上报')).toBeTruthy();
    expect(screen.getByText('封闭小区')).toBeTruthy();
    // The filters are named as the statuses are everywhere else, and an empty one says which.
    expect(screen.getAllByRole('radio').map((r) => r.textContent)).toEqual([
      '全部',
      '等待派单',
      '等待接单',
      '社区处理中',
      '进行中',
      '已送达',
    ]);
    fireEvent.click(screen.getByText('社区处理中', { selector: '[role="radio"]' }));
    expect(await screen.findByText('没有“社区处理中”的代办')).toBeTruthy();
    expect(fakeBff.requests.at(-1)?.path).toBe('/staff/queue');
  });

  it('names the filter that shows accepted and on-the-way errands for both, not for one of them', async () => {
    fakeBff.on('GET /staff/queue', ({ query }) => [
      200,
      {
        items: query.includes('in_progress') ? [queueEntry('accepted', { id: 'CCCCCCCCCCCCCCCCCCCCCC' }), queueEntry('in_progress')] : [],
        nextCursor: null,
        counts,
        tierCounts,
      },
    ]);
    render(<Queue />);
    fireEvent.click(await screen.findByText('进行中', { selector: '[role="radio"]' }));
    expect(await screen.findByText(/· 已接单$/)).toBeTruthy();
    expect(screen.getByText(/· 配送中$/)).toBeTruthy();
  });

  it('shows the filter chosen last when the first list answers after it', async () => {
    let releaseAll: () => void = () => undefined;
    const allHeld = new Promise<void>((r) => (releaseAll = r));
    const page = (items: unknown[]) => ({ items, nextCursor: null, counts, tierCounts });
    fakeBff.on('GET /staff/queue', async ({ query }) => {
      if (query.includes('escalated')) return [200, page([])];
      await allHeld; // the first list, of every errand, is slow
      return [200, page([queueEntry('offered', { priority: 40, ageSeconds: 30 })])];
    });
    render(<Queue />);
    fireEvent.click(await screen.findByText('社区处理中', { selector: '[role="radio"]' }));
    expect(await screen.findByText('没有“社区处理中”的代办')).toBeTruthy();
    releaseAll();
    await waitFor(() => expect(fakeBff.sent('GET /staff/queue')).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByText(/^已等/)).toBeNull();
    expect(screen.getByText('没有“社区处理中”的代办')).toBeTruthy();
  });

  it('loads the next page with 加载更多 until the last one, and shows how many there are', async () => {
    const entry = (id: string, ageSeconds: number) => queueEntry('pending', { id, ageSeconds });
    fakeBff.on('GET /staff/queue', ({ query }) => [
      200,
      query.includes('cursor=page2')
        ? { items: [entry('CCCCCCCCCCCCCCCCCCCCCC', 180)], nextCursor: null, counts: { ...counts, all: 3 }, tierCounts }
        : { items: [entry('BBBBBBBBBBBBBBBBBBBBBB', 120)], nextCursor: 'page2', counts: { ...counts, all: 3 }, tierCounts },
    ]);
    render(<Queue />);
    expect(await screen.findByText('已等2分钟')).toBeTruthy();
    expect(screen.getByText('共3条')).toBeTruthy();
    fireEvent.click(screen.getByText('加载更多'));
    expect(await screen.findByText('已等3分钟')).toBeTruthy();
    expect(screen.getByText('已等2分钟')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('加载更多')).toBeNull());
  });

  it('drops a next page that arrives after another filter was chosen', async () => {
    let releasePage2: () => void = () => undefined;
    const page2Held = new Promise<void>((r) => (releasePage2 = r));
    const entry = (id: string, ageSeconds: number) => queueEntry('pending', { id, ageSeconds });
    fakeBff.on('GET /staff/queue', async ({ query }) => {
      if (query.includes('escalated')) return [200, { items: [], nextCursor: null, counts, tierCounts }];
      if (!query.includes('cursor=page2'))
        return [200, { items: [entry('BBBBBBBBBBBBBBBBBBBBBB', 120)], nextCursor: 'page2', counts: { ...counts, all: 3 }, tierCounts }];
      await page2Held;
      return [200, { items: [entry('CCCCCCCCCCCCCCCCCCCCCC', 180)], nextCursor: null, counts: { ...counts, all: 3 }, tierCounts }];
    });
    render(<Queue />);
    fireEvent.click(await screen.findByText('加载更多'));
    fireEvent.click(screen.getByText('社区处理中', { selector: '[role="radio"]' }));
    expect(await screen.findByText('没有“社区处理中”的代办')).toBeTruthy();
    releasePage2();
    await waitFor(() => expect(fakeBff.requests.filter((r) => r.path === '/staff/queue')).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByText('已等3分钟')).toBeNull();
    expect(screen.getByText('没有“社区处理中”的代办')).toBeTruthy();
  });

  it('tags each errand with its 红黄蓝 tier and the time left, or 已超时', async () => {
    const sla = (tier: string, secondsLeft: number) => ({
      tier,
      dueAt: '2026-11-29T08:00:00.000Z',
      secondsLeft,
      overdue: secondsLeft <= 0,
      dueSoon: false,
    });
    fakeBff.on('GET /staff/queue', [
      200,
      {
        items: [
          queueEntry('escalated', { id: 'BBBBBBBBBBBBBBBBBBBBBB', sla: sla('red', -600) }),
          queueEntry('pending', { id: 'CCCCCCCCCCCCCCCCCCCCCC', sla: sla('red', 4800) }),
          queueEntry('offered', { id: 'DDDDDDDDDDDDDDDDDDDDDD', sla: sla('blue', 2 * 86400 + 3 * 3600) }),
        ],
        nextCursor: null,
        counts: { ...counts, all: 3 },
        tierCounts: { red: 2, yellow: 0, blue: 1 },
      },
    ]);
    render(<Queue />);
    expect(await screen.findByText('红 · 已超时')).toBeTruthy();
    expect(screen.getByText('红 · 剩1小时20分')).toBeTruthy();
    expect(screen.getByText('蓝 · 剩2天3小时')).toBeTruthy();
    expect(screen.getByText('红 · 已超时').closest('.queue-badge')).toBeTruthy();
  });

  it('assigns an escalated errand to a verified helper with room, never to an unverified one', async () => {
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('escalated', { viewerRole: 'staff' })]);
    fakeBff.on('GET /staff/helpers', [
      200,
      { items: [helper(7, '李卫东'), helper(8, '赵新', { verified: false }), helper(9, '周强', { activeTasks: 3 })] },
    ]);
    fakeBff.on(`POST /staff/errands/${ERRAND_ID}/assign`, [200, errand('accepted', { viewerRole: 'staff' })]);
    render(<Assign />);
    fireEvent.click(await screen.findByText(/^李卫东\s· 党员中心户/));
    // For a resident who phones to ask: an errand taken by phone has no app to show it.
    expect(screen.getByText('交接码 4821（住户来电问起时告诉住户）')).toBeTruthy();
    expect(screen.queryByText(/^赵新/)).toBeNull();
    expect(screen.queryByText(/^周强/)).toBeNull();
    fireEvent.click(screen.getByText('确定指派'));
    // Asked first, naming who gets it; nothing sent until confirmed.
    expect(screen.getByRole('dialog').textContent).toContain('确定把这单指派给李卫东吗？李卫东会收到通知');
    expect(fakeBff.sent(`POST /staff/errands/${ERRAND_ID}/assign`)).toEqual([]);
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted', { viewerRole: 'staff' })]);
    fireEvent.click(screen.getByText('确定指派', { selector: '.confirm-dialog__confirm *' }));
    await waitFor(() =>
      expect(fakeBff.sent(`POST /staff/errands/${ERRAND_ID}/assign`)[0]?.body).toEqual({ helperId: 7, reason: '社区指派' }),
    );
    expect(await screen.findByText('现在由 李卫东 负责')).toBeTruthy();
    // Not offered as the one to move it to, and the loads are read again after the change.
    await waitFor(() => expect(fakeBff.sent('GET /staff/helpers')).toHaveLength(2));
    expect(screen.queryByText(/^李卫东\s· 党员中心户/)).toBeNull();
  });

  it('asks for a helper, then a reason, under the button before moving an errand to another helper', async () => {
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted', { viewerRole: 'staff' })]);
    fakeBff.on('GET /staff/helpers', [200, { items: [helper(9, '周强')] }]);
    fakeBff.on(`POST /staff/errands/${ERRAND_ID}/assign`, [200, errand('accepted', { viewerRole: 'staff' })]);
    render(<Assign />);
    await screen.findByText(/^周强\s· 党员中心户/);
    fireEvent.click(screen.getByText('确定指派'));
    expect(screen.getByRole('alert').textContent).toBe('请先在上面选一位送货人');
    fireEvent.click(screen.getByText(/^周强\s· 党员中心户/));
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByText('确定指派'));
    expect(screen.getByRole('alert').textContent).toBe('改派请先选一个原因');
    expect(fakeBff.sent(`POST /staff/errands/${ERRAND_ID}/assign`)).toEqual([]);
    fireEvent.click(screen.getByText('居民要求换人'));
    fireEvent.click(screen.getByText('确定指派'));
    expect(screen.getByRole('dialog').textContent).toContain('确定把这单从李卫东改派给周强吗？两人都会收到通知。');
    fireEvent.click(screen.getByText('确定改派'));
    await waitFor(() =>
      expect(fakeBff.sent(`POST /staff/errands/${ERRAND_ID}/assign`)[0]?.body).toEqual({ helperId: 9, reason: '居民要求换人' }),
    );
  });
});
