import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import ErrandPage from '../src/pages/errand/index';
import ErrandFormPage from '../src/pages/errand-form/index';
import Offers from '../src/helper/pages/offers/index';
import Task from '../src/helper/pages/task/index';
import Assign from '../src/staff/pages/assign/index';
import Compounds from '../src/staff/pages/compounds/index';
import Helpers from '../src/staff/pages/helpers/index';
import Queue from '../src/staff/pages/queue/index';
import { ITEM_NAME_MAX } from '../src/lib/limits';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn, me } from './support/fixtures';
import { host } from './support/taro-fake';

const EMPTY_QUEUE = {
  items: [],
  nextCursor: null,
  counts: { all: 0, unmatched: 0, offered: 0, escalated: 0, in_progress: 0, delivered: 0 },
  tierCounts: { red: 0, yellow: 0, blue: 0 },
};

const helperUser = (onDuty: boolean) =>
  me({
    name: '李卫东',
    roles: ['resident', 'helper'],
    helper: {
      id: 7,
      kind: 'household_head',
      verified: true,
      onDuty,
      capacity: 3,
      canCarryHeavy: true,
      communityId: 1,
      zoneBuildingIds: [2],
    },
  });
const staffUser = me({ name: '张敏', roles: ['staff'], household: null, communityId: 1 });
const helperRow = {
  id: 7,
  userId: 107,
  name: '李卫东',
  phone: '13801010101',
  kind: 'household_head',
  verified: true,
  onDuty: true,
  capacity: 3,
  canCarryHeavy: true,
  activeTasks: 1,
  rating: null,
};
const dialogText = () => screen.getByRole('dialog').textContent ?? '';

describe('confirmations in plain words', () => {
  it("a helper's release reason only asks; the errand goes back only after 确定退回, and it says it cannot be undone", async () => {
    loggedIn('helper', helperUser(true));
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted', { viewerRole: 'helper' })]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/release`, [200, { ok: true }]);
    render(<Task />);
    fireEvent.click(await screen.findByText('临时有事'));
    expect(dialogText()).toContain('退回后这单会马上派给其他邻居，您就不能再送了，也无法撤回。原因：临时有事。王秀兰会看到换人的消息。');
    fireEvent.click(screen.getByText('再想想'));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/release`)).toEqual([]);
    fireEvent.click(screen.getByText('身体不适'));
    fireEvent.click(screen.getByText('确定退回'));
    await waitFor(() => expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/release`)[0]?.body).toEqual({ reason: '身体不适' }));
    await waitFor(() => expect(host.navigations).toEqual(['redirectTo /helper/pages/tasks/index']));
  });

  it('staff 取消认证 asks first, naming the helper and what it means for them', async () => {
    loggedIn('staff', staffUser);
    fakeBff.on('GET /staff/helpers', [200, { items: [helperRow] }]);
    fakeBff.on('POST /staff/helpers/7/verify', [200, { ...helperRow, verified: false }]);
    render(<Helpers />);
    fireEvent.click(await screen.findByText('取消认证'));
    expect(dialogText()).toContain('确定取消李卫东的认证吗？取消后李卫东不会再收到新的代办，手上的1单仍需送完。');
    expect(fakeBff.sent('POST /staff/helpers/7/verify')).toEqual([]);
    fireEvent.click(screen.getByText('确定取消认证'));
    await waitFor(() => expect(fakeBff.sent('POST /staff/helpers/7/verify')[0]?.body).toEqual({ verified: false }));
    expect(await screen.findByText('认证通过')).toBeTruthy();
  });

  it('a lockdown change acts at once and offers 撤销, which puts the previous state back', async () => {
    loggedIn('staff', staffUser);
    fakeBff.on('GET /communities/1/compounds', [200, { items: [{ id: 3, name: '河畔花园', lockdown: 'normal', buildings: [] }] }]);
    fakeBff.on('PUT /staff/compounds/3/lockdown', [200, { ok: true }]);
    render(<Compounds />);
    fireEvent.click(await screen.findByText('封闭'));
    expect(await screen.findByText('河畔花园已设为封闭，这里的代办会优先派送')).toBeTruthy();
    fireEvent.click(screen.getByText('撤销'));
    await waitFor(() =>
      expect(fakeBff.sent('PUT /staff/compounds/3/lockdown').map((r) => r.body)).toEqual([{ lockdown: 'closed' }, { lockdown: 'normal' }]),
    );
    await waitFor(() => expect(screen.queryByText('撤销')).toBeNull());
    expect(screen.getByText('正常').getAttribute('aria-checked')).toBe('true');
  });

  it('staff cancel an errand with a reason, after saying who is affected', async () => {
    loggedIn('staff', staffUser);
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted', { viewerRole: 'staff' })]);
    fakeBff.on('GET /staff/helpers', [200, { items: [helperRow] }]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/cancel`, [200, errand('cancelled', { viewerRole: 'staff' })]);
    render(<Assign />);
    fireEvent.click(await screen.findByText('取消代办'));
    // The hint stays under the button (a toast is gone in two seconds) until a reason is chosen.
    expect(screen.getByRole('alert').textContent).toBe('取消请先选一个原因');
    fireEvent.click(screen.getByText('重复下单'));
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByText('取消代办'));
    expect(dialogText()).toContain('确定取消王秀兰的这单吗？原因：重复下单。李卫东不用再送了，王秀兰会看到已取消。');
    fireEvent.click(screen.getByText('确定取消'));
    await waitFor(() => expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/cancel`)[0]?.body).toEqual({ reason: '重复下单' }));
    expect(await screen.findByText(/ · 已取消$/)).toBeTruthy();
  });

  it('staff confirm a delivery for a helper whose code entry is locked, with a reason, after a phone call', async () => {
    loggedIn('staff', staffUser);
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('in_progress', { viewerRole: 'staff' })]);
    fakeBff.on('GET /staff/helpers', [200, { items: [helperRow] }]);
    fakeBff.on(`POST /staff/errands/${ERRAND_ID}/deliver`, [200, errand('delivered', { viewerRole: 'staff' })]);
    render(<Assign />);
    expect(await screen.findByText('替送货人确认送达')).toBeTruthy();
    expect(screen.getByText(/先打电话向王秀兰核实东西已经送到/)).toBeTruthy();
    expect(screen.queryByText('替住户确认收到')).toBeNull();
    const go = () => document.querySelector('.staff-deliver__go') as HTMLElement;
    fireEvent.click(go());
    expect(screen.getByRole('alert').textContent).toBe('请先选一个原因');
    fireEvent.click(screen.getByText('交接码输错太多次，已核实'));
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(go());
    expect(dialogText()).toContain('确定替李卫东确认这单已经送到王秀兰家吗？原因：交接码输错太多次，已核实。');
    expect(fakeBff.sent(`POST /staff/errands/${ERRAND_ID}/deliver`)).toEqual([]);
    fireEvent.click(document.querySelector('.confirm-dialog__confirm') as HTMLElement);
    await waitFor(() =>
      expect(fakeBff.sent(`POST /staff/errands/${ERRAND_ID}/deliver`).map((r) => r.body)).toEqual([{ reason: '交接码输错太多次，已核实' }]),
    );
    // Delivered now: the next step, confirming the receipt for a resident without the app, is offered.
    expect(await screen.findByText('替住户确认收到')).toBeTruthy();
    expect(screen.queryByText('替送货人确认送达')).toBeNull();
  });

  it('staff confirm the receipt for a resident without the app, saying it cannot be changed', async () => {
    loggedIn('staff', staffUser);
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('delivered', { viewerRole: 'staff' })]);
    fakeBff.on('GET /staff/helpers', [200, { items: [helperRow] }]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/confirm`, [200, errand('completed', { viewerRole: 'staff' })]);
    render(<Assign />);
    fireEvent.click(await screen.findByText('确认收到'));
    expect(dialogText()).toContain('确定王秀兰已经收到东西了吗？确认后这单完成，不能再改。');
    fireEvent.click(document.querySelector('.confirm-dialog__confirm') as HTMLElement);
    await waitFor(() => expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/confirm`)).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText('替住户确认收到')).toBeNull());
  });
});

describe('saying what is happening', () => {
  it("the resident's page says how many neighbours were asked, and after a release shows the acceptance as history", async () => {
    loggedIn('resident');
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [
      200,
      errand('offered', {
        timeline: [
          { at: '2026-11-28T08:00:00.000Z', from: null, to: 'pending', actorRole: 'resident', note: null },
          { at: '2026-11-28T08:00:01.000Z', from: 'pending', to: 'offered', actorRole: 'system', note: '第1轮：已通知3位接单人' },
          { at: '2026-11-28T08:03:00.000Z', from: 'offered', to: 'accepted', actorRole: 'helper', note: null },
          { at: '2026-11-28T08:05:00.000Z', from: 'accepted', to: 'pending', actorRole: 'helper', note: '接单人放弃：临时有事' },
          { at: '2026-11-28T08:05:01.000Z', from: 'pending', to: 'offered', actorRole: 'system', note: '第1轮：已通知2位接单人' },
        ],
      }),
    ]);
    render(<ErrandPage />);
    expect(await screen.findByText('原接单人无法送达，已通知2位邻居，正在等待接单（第1轮）')).toBeTruthy();
    const past = [...document.querySelectorAll('.timeline-entry--past')].map((e) => e.textContent);
    expect(past.some((t) => t?.includes('接单人曾接单，已放弃'))).toBe(true);
    expect(document.querySelector('.timeline-entry--current')?.textContent).toContain('第1轮：已通知2位邻居（最新）');
    // The 已接单 step carries no time: it is not where the errand is.
    const acceptedStep = screen.getByText('已接单', { selector: '.nut-step-title' }).closest('.nut-step');
    expect(acceptedStep?.classList.contains('nut-step-wait')).toBe(true);
    expect(acceptedStep?.querySelector('.nut-step-description')?.textContent ?? '').toBe('');
  });

  it('an escalated errand says staff have taken it over and to call the community', async () => {
    loggedIn('resident');
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('escalated')]);
    render(<ErrandPage />);
    expect(await screen.findByText('附近暂时没有邻居能接，社区工作人员已接手，会尽快安排')).toBeTruthy();
    expect(screen.getByText('有问题请拨打社区电话')).toBeTruthy();
  });
});

describe('navigation and wording', () => {
  it("every page that is not a home has 返回 and 回首页 to the role's own home", async () => {
    loggedIn('helper', helperUser(true));
    host.params = { id: ERRAND_ID };
    host.pages = [{ route: 'helper/pages/task/index' }];
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('delivered', { viewerRole: 'helper' })]);
    render(<Task />);
    fireEvent.click(await screen.findByText('回首页'));
    // Only one page on the stack (after a redirect): 返回 goes home as well.
    fireEvent.click(screen.getByText('‹ 返回'));
    expect(host.navigations).toEqual(['reLaunch /helper/pages/offers/index', 'reLaunch /helper/pages/offers/index']);
  });

  it('返回 goes back when there is a page to go back to; a home page has no bar', async () => {
    loggedIn('staff', staffUser);
    host.pages = [{ route: 'staff/pages/queue/index' }, { route: 'staff/pages/helpers/index' }];
    fakeBff.on('GET /staff/helpers', [200, { items: [] }]);
    const { unmount } = render(<Helpers />);
    fireEvent.click(await screen.findByText('‹ 返回'));
    expect(host.navigations).toEqual(['navigateBack']);
    unmount();
    host.pages = [{ route: 'staff/pages/queue/index' }];
    fakeBff.on('GET /staff/queue', [200, EMPTY_QUEUE]);
    render(<Queue />);
    await screen.findByText('队列是空的，没有待处理的代办。');
    expect(screen.queryByText('回首页')).toBeNull();
  });

  it('off duty, the empty offer list does not promise new errands', async () => {
    loggedIn('helper', helperUser(false));
    fakeBff.on('GET /helper/offers', [200, { items: [] }]);
    render(<Offers />);
    expect(await screen.findByText('您在休息，不会收到新代办。点“上岗接单”开始接单。')).toBeTruthy();
    expect(screen.queryByText(/有新代办会自动出现/)).toBeNull();
  });

  it("the item name takes no more than the contract's limit, and suggests the category's own items", async () => {
    loggedIn('resident');
    host.params = { category: 'parcel' };
    render(<ErrandFormPage />);
    const input = document.querySelector('.item-name input') ?? document.querySelector('.item-name');
    expect(input?.getAttribute('maxlength')).toBe(String(ITEM_NAME_MAX));
    expect(input?.getAttribute('placeholder')).toBe('如：菜鸟驿站的快递');
  });

  it.each([
    ['helper', () => <Offers />],
    ['staff', () => <Queue />],
  ] as const)('a %s can log out', async (role, page) => {
    loggedIn(role, role === 'helper' ? helperUser(true) : staffUser);
    fakeBff.on('GET /helper/offers', [200, { items: [] }]);
    fakeBff.on('GET /staff/queue', [200, EMPTY_QUEUE]);
    fakeBff.on('POST /auth/logout', [200, { ok: true }]);
    render(page());
    fireEvent.click(await screen.findByText('退出登录'));
    await waitFor(() => expect(fakeBff.sent('POST /auth/logout')).toHaveLength(1));
    expect(host.navigations).toEqual(['reLaunch /pages/login/index']);
    expect(host.storage.size).toBe(0);
  });
});
