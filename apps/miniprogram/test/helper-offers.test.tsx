import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Offers from '../src/helper/pages/offers/index';
import Task from '../src/helper/pages/task/index';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn, me, offer } from './support/fixtures';
import { host } from './support/taro-fake';

/** The errand as its assigned helper sees it: the address, never the code. */
const asHelper = {
  viewerRole: 'helper' as const,
  handoverCode: null,
  address: { unit: '1', room: '601', contactName: '王秀兰', phone: '13800001111' },
};

/** Taro's h5 Input draws its <input> after the first render. */
const handoverInput = () =>
  waitFor(() => {
    const el = document.querySelector('.handover-input input');
    if (!el) throw new Error('handover input not rendered yet');
    return el;
  });

const helperUser = me({
  name: '李卫东',
  roles: ['resident', 'helper'],
  helper: {
    id: 7,
    kind: 'household_head',
    verified: true,
    onDuty: true,
    capacity: 3,
    canCarryHeavy: true,
    communityId: 1,
    zoneBuildingIds: [2],
  },
});

beforeEach(() => loggedIn('helper', helperUser));

describe('helper offers and tasks', () => {
  it('shows distance, floor, lift and the item count but no address, then accepts and opens the task', async () => {
    fakeBff.on('GET /helper/offers', [200, { items: [offer()] }]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/accept`, [200, errand('accepted', { viewerRole: 'helper' })]);
    render(<Offers />);
    expect(await screen.findByText(/约180米\s· 河畔花园 2号楼\s· 6楼\s· 无电梯/)).toBeTruthy();
    expect(screen.getByText('物品共1样')).toBeTruthy();
    expect(screen.queryByText(/18.9L/)).toBeNull();
    expect(screen.getByText('紧急')).toBeTruthy();
    expect(screen.queryByText(/601/)).toBeNull();
    fireEvent.click(screen.getByText('我来送'));
    await waitFor(() => expect(host.navigations).toEqual([`navigateTo /helper/pages/task/index?id=${ERRAND_ID}`]));
  });

  it('says plainly when another helper was faster, and refreshes the offers', async () => {
    fakeBff.on('GET /helper/offers', [200, { items: [offer()] }]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/accept`, [409, { error: { code: 'ERRAND_TAKEN', message: 'Errand already taken' } }]);
    render(<Offers />);
    fireEvent.click(await screen.findByText('我来送'));
    expect(await screen.findByText('这单已被其他人接走了')).toBeTruthy();
    expect(host.navigations).toEqual([]);
    await waitFor(() => expect(fakeBff.sent('GET /helper/offers').length).toBeGreaterThan(1));
  });

  it('declines an offer and shows the list without it', async () => {
    let declined = false;
    fakeBff.on('GET /helper/offers', () => [200, { items: declined ? [] : [offer()] }]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/decline`, () => {
      declined = true;
      return [200, { ok: true }];
    });
    render(<Offers />);
    fireEvent.click(await screen.findByText('这单不接'));
    expect(await screen.findByText('现在没有待接的代办，有新代办会自动出现。')).toBeTruthy();
    expect(host.navigations).toEqual([]);
  });

  it('picks up, then delivers only with a four-digit handover code', async () => {
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted', asHelper)]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/pickup`, [200, errand('in_progress', asHelper)]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/deliver`, [200, errand('delivered', asHelper)]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/call`, [200, { kind: 'privacy', number: '17000000001', expiresAt: '2026-11-28T20:00:00.000Z' }]);
    render(<Task />);
    expect(await screen.findByText('1单元 601 · 王秀兰')).toBeTruthy();
    // The helper dials the errand's middle number, so the household never sees the helper's own.
    fireEvent.click(screen.getByText('打电话给王秀兰'));
    await waitFor(() => expect(host.calls).toEqual(['17000000001']));
    fireEvent.click(screen.getByText('东西已取到，出发'));
    fireEvent.click(await screen.findByText('已送到'));
    expect(await screen.findByText('交接码是4位数字')).toBeTruthy();
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/deliver`)).toEqual([]);
    const input = await handoverInput();
    fireEvent.input(input, { target: { value: '4821' } });
    fireEvent.click(screen.getByText('已送到'));
    await waitFor(() => expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/deliver`)[0]?.body).toEqual({ handoverCode: '4821' }));
    expect(await screen.findByText('已送达', { selector: '.errand-status' })).toBeTruthy();
  });

  it("keeps a wrong handover code's answer under the code box until the helper types again", async () => {
    host.params = { id: ERRAND_ID };
    const wrong = '交接码不正确，请向居民核对后重试（还可以再试4次）';
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('in_progress', asHelper)]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/deliver`, [422, { error: { code: 'HANDOVER_CODE_WRONG', message: wrong } }]);
    render(<Task />);
    const input = await handoverInput();
    fireEvent.input(input, { target: { value: '0000' } });
    fireEvent.click(screen.getByText('已送到'));
    const shown = await screen.findByRole('alert');
    expect(shown.textContent).toBe(wrong);
    // Still there after the toast is gone, beside the box the helper will type into.
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByRole('alert').textContent).toBe(wrong);
    fireEvent.input(input, { target: { value: '4' } });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
