import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import ErrandPage from '../src/pages/errand/index';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn } from './support/fixtures';
import { host } from './support/taro-fake';

beforeEach(() => {
  loggedIn('resident');
  host.params = { id: ERRAND_ID };
});

describe('the errand page', () => {
  it('shows a waiting errand in words, with its handover code and no helper yet', async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('offered')]);
    render(<ErrandPage />);
    expect(await screen.findByText('等待接单', { selector: '.errand-status' })).toBeTruthy();
    expect(screen.getByText('4821')).toBeTruthy();
    expect(screen.queryByText('帮您送货的人')).toBeNull();
    expect(screen.getByText('取消这单')).toBeTruthy();
  });

  it("shows the helper with a masked phone once accepted, and dials the errand's privacy number, never the masked one", async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/call`, [200, { kind: 'privacy', number: '17000000001', expiresAt: '2026-11-28T20:00:00.000Z' }]);
    render(<ErrandPage />);
    expect(await screen.findByText('李卫东')).toBeTruthy();
    expect(screen.getByText(/139\*\*\*\*2222/)).toBeTruthy();
    // The timeline marks how far it got: submitted is done, accepted is where it is now.
    expect(screen.getByText('已提交', { selector: '.nut-step-title' }).closest('.nut-step')?.classList.contains('nut-step-finish')).toBe(
      true,
    );
    expect(screen.getByText('已接单', { selector: '.nut-step-title' }).closest('.nut-step')?.classList.contains('nut-step-process')).toBe(
      true,
    );
    expect(screen.getByText('配送中', { selector: '.nut-step-title' }).closest('.nut-step')?.classList.contains('nut-step-wait')).toBe(
      true,
    );
    fireEvent.click(screen.getByText('打电话'));
    await waitFor(() => expect(host.calls).toEqual(['17000000001']));
  });

  it('lets the resident confirm a delivered errand and then thank and rate the helper', async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('delivered')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/confirm`, [200, errand('completed')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/rate`, [200, errand('completed', { rating: { stars: 4, comment: '谢谢您！' } })]);
    render(<ErrandPage />);
    fireEvent.click(await screen.findByText('我收到了'));
    expect(await screen.findByText('给帮忙的人道声谢')).toBeTruthy();
    expect(screen.queryByText('4821')).toBeNull();
    fireEvent.click(screen.getByText('4星'));
    fireEvent.click(screen.getByText('送出感谢'));
    expect(await screen.findByText('您的评价：4星 · 谢谢您！')).toBeTruthy();
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/rate`)[0]?.body).toEqual({ stars: 4, comment: '谢谢您！' });
  });

  it('cancels only after the resident confirms, and then says so', async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('offered')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/cancel`, [200, errand('cancelled')]);
    render(<ErrandPage />);
    fireEvent.click(await screen.findByText('取消这单'));
    // The app's own dialog says what will happen; 再想想 sends nothing.
    expect(screen.getByRole('dialog').textContent).toContain('取消后，邻居们就不会再来接这单了。');
    fireEvent.click(screen.getByText('再想想'));
    await new Promise((r) => setTimeout(r, 20));
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/cancel`)).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByText('取消这单'));
    fireEvent.click(screen.getByText('取消代办'));
    expect(await screen.findByText('这单已取消')).toBeTruthy();
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/cancel`)).toHaveLength(1);
    expect(screen.queryByText('取消这单')).toBeNull();
    expect(screen.queryByText('4821')).toBeNull();
  });

  it('says on the page why a cancel was refused, after the toast is gone, and shows where the errand is now', async () => {
    const refused = '这单现在是「配送中」，不能取消';
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/cancel`, [409, { error: { code: 'INVALID_TRANSITION', message: refused } }]);
    render(<ErrandPage />);
    fireEvent.click(await screen.findByText('取消这单'));
    // Meanwhile the helper picked it up.
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('in_progress')]);
    fireEvent.click(screen.getByText('取消代办'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByRole('alert').textContent).toBe(refused);
    // The page shows where the errand is now, without the button that can no longer work.
    await waitFor(() => expect(screen.queryByText('取消这单')).toBeNull());
    expect(screen.getByText('配送中', { selector: '.errand-status' })).toBeTruthy();
  });

  it('shows the error and a retry button when the errand cannot be loaded', async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [500, { error: { code: 'INTERNAL', message: 'Internal Server Error' } }]);
    render(<ErrandPage />);
    expect(await screen.findByText('服务暂时出了问题，请稍后再试')).toBeTruthy();
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('in_progress')]);
    fireEvent.click(screen.getByText('重试'));
    await waitFor(() => expect(screen.getByText('配送中', { selector: '.errand-status' })).toBeTruthy());
  });
});
