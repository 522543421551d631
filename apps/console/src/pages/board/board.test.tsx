import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ErrandView, StaffQueue } from '@linli/contracts';
import { errandView, queueEntry } from '../../../test/fixtures';
import { fakeBff, renderPage } from '../../../test/render-page';
import BoardPage from '.';

const queue = {
  items: [
    queueEntry(1, {
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
      status: 'accepted',
      resident: { name: '王秀兰', door: '1-2-602', phone: '13812341234' },
    }),
  ],
  nextCursor: null,
  counts: { all: 1, unmatched: 0, offered: 0, escalated: 0, in_progress: 0, delivered: 0 },
  tierCounts: { red: 0, yellow: 1, blue: 0 },
};
const accepted = errandView({
  status: 'accepted',
  helper: { id: 7, name: '张桂芳', kind: 'household_head', phone: '13802020202' },
  timeline: [
    { at: '2026-12-01T08:00:00.000Z', from: null, to: 'pending', actorRole: 'resident', note: null },
    { at: '2026-12-01T08:03:00.000Z', from: 'offered', to: 'accepted', actorRole: 'staff', note: '指派给张桂芳：社区指派' },
  ],
});

describe('值班台', () => {
  it('marks errands out in the words the phone uses for the same badges', async () => {
    const marked = { ...queue, items: [{ ...queue.items[0]!, badges: ['urgent', 'vulnerable', 'closed_compound'] as const }] };
    fakeBff([{ path: /\/staff\/queue$/, schema: StaffQueue, body: marked }]);
    renderPage(<BoardPage />);
    for (const words of ['紧急', '重点人群', '封闭小区']) expect(await screen.findByText(words)).toBeTruthy();
  }, 90_000);

  it('opens an errand in full from its row or with D: the handover code to tell a resident who phones, who brings it, what happened', async () => {
    const calls = fakeBff([
      { path: /\/staff\/queue$/, schema: StaffQueue, body: queue },
      { path: /\/errands\/AAAAAAAAAAAAAAAAAAAAAA$/, schema: ErrandView, body: accepted },
    ]);
    renderPage(<BoardPage />);
    fireEvent.click(await screen.findByRole('button', { name: /详\s*情/ }));
    const drawer = await screen.findByRole('dialog');
    expect((await within(drawer).findByTestId('errand-handover-code')).textContent).toContain('4821');
    expect(within(drawer).getByText('张桂芳（党员中心户） 13802020202')).toBeTruthy();
    expect(within(drawer).getByText('王秀兰 13812341234')).toBeTruthy();
    expect(within(drawer).getByText(/社区：指派给张桂芳：社区指派/)).toBeTruthy();
    expect(calls.filter((c) => c.url.pathname.endsWith('/errands/AAAAAAAAAAAAAAAAAAAAAA'))).toHaveLength(1);

    // Closed, then opened again from the keyboard.
    fireEvent.keyDown(drawer, { key: 'Escape', code: 'Escape', keyCode: 27 });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.keyDown(window, { key: 'd' });
    expect(await within(await screen.findByRole('dialog')).findByTestId('errand-handover-code')).toBeTruthy();
  }, 90_000);

  it('confirms a delivery for a helper whose code entry is locked: asks why and what to check, sends once, the board reads again', async () => {
    const inProgress = errandView({ ...accepted, status: 'in_progress' });
    let delivered = 0;
    const calls = fakeBff([
      { path: /\/staff\/queue$/, schema: StaffQueue, body: queue },
      { path: /\/errands\/AAAAAAAAAAAAAAAAAAAAAA$/, schema: ErrandView, body: inProgress },
      {
        method: 'POST',
        path: /\/staff\/errands\/AAAAAAAAAAAAAAAAAAAAAA\/deliver$/,
        schema: ErrandView,
        body: () => {
          delivered++;
          return errandView({ ...inProgress, status: 'delivered' });
        },
      },
    ]);
    renderPage(<BoardPage />);
    fireEvent.click(await screen.findByRole('button', { name: /详\s*情/ }));
    const drawer = await screen.findByRole('dialog');
    const stepIn = await within(drawer).findByTestId('errand-step-in');
    expect(stepIn.textContent).not.toContain('代确认收到'); // not delivered yet
    fireEvent.click(within(stepIn).getByRole('button', { name: '代确认送达' }));
    const modal = (await screen.findByText('替送货人确认送达')).closest('.ant-modal') as HTMLElement;
    expect(modal.textContent).toContain('请先打电话向王秀兰核实东西已经送到');
    fireEvent.click(within(modal).getByRole('button', { name: /确认送达/ }));
    expect(await within(modal).findByText(/请填写原因/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.change(within(modal).getByLabelText('原因'), { target: { value: '已电话核实，东西已送到' } });
    const ok = within(modal).getByRole('button', { name: /确认送达/ });
    fireEvent.click(ok);
    fireEvent.click(ok);
    await waitFor(() => expect(screen.getAllByText(/已送达/).length).toBeGreaterThan(0));
    expect(delivered).toBe(1);
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(String(post.init.body))).toEqual({ reason: '已电话核实，东西已送到' });
    // The board read its queue again after the change.
    await waitFor(() => expect(calls.filter((c) => c.url.pathname.endsWith('/staff/queue')).length).toBeGreaterThanOrEqual(2));
  }, 90_000);

  it('confirms receipt for a resident without the app; a delivered errand cannot be cancelled', async () => {
    const deliveredView = errandView({ ...accepted, status: 'delivered' });
    const calls = fakeBff([
      { path: /\/staff\/queue$/, schema: StaffQueue, body: queue },
      { path: /\/errands\/AAAAAAAAAAAAAAAAAAAAAA$/, schema: ErrandView, body: deliveredView },
      {
        method: 'POST',
        path: /\/errands\/AAAAAAAAAAAAAAAAAAAAAA\/confirm$/,
        schema: ErrandView,
        body: errandView({ ...deliveredView, status: 'completed' }),
      },
    ]);
    renderPage(<BoardPage />);
    fireEvent.click(await screen.findByRole('button', { name: /详\s*情/ }));
    const stepIn = await within(await screen.findByRole('dialog')).findByTestId('errand-step-in');
    // Delivered: cancelling is no longer a step; confirming the receipt is.
    expect(within(stepIn).queryByRole('button', { name: '取消代办' })).toBeNull();
    fireEvent.click(within(stepIn).getByRole('button', { name: '代确认收到' }));
    const modal = (await screen.findByText('替住户确认收到')).closest('.ant-modal') as HTMLElement;
    expect(modal.textContent).toContain('确认后这单完成，不能再改');
    expect(within(modal).queryByLabelText('原因')).toBeNull();
    fireEvent.click(within(modal).getByRole('button', { name: /确认收到/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST' && c.url.pathname.endsWith('/confirm'))).toHaveLength(1));
    await waitFor(() => expect(screen.queryByTestId('errand-step-in')).toBeNull()); // completed: nothing left to do
  }, 90_000);

  it('keeps a refused cancel open with the reason it was refused', async () => {
    const calls = fakeBff([
      { path: /\/staff\/queue$/, schema: StaffQueue, body: queue },
      { path: /\/errands\/AAAAAAAAAAAAAAAAAAAAAA$/, schema: ErrandView, body: accepted },
      {
        method: 'POST',
        path: /\/errands\/AAAAAAAAAAAAAAAAAAAAAA\/cancel$/,
        status: 409,
        body: { error: { code: 'INVALID_TRANSITION', message: '这单已经送到了，不能取消' } },
      },
    ]);
    renderPage(<BoardPage />);
    fireEvent.click(await screen.findByRole('button', { name: /详\s*情/ }));
    const stepIn = await within(await screen.findByRole('dialog')).findByTestId('errand-step-in');
    fireEvent.click(within(stepIn).getByRole('button', { name: '取消代办' }));
    const modal = (await screen.findByText('取消这单')).closest('.ant-modal') as HTMLElement;
    expect(modal.textContent).toContain('取消后不能恢复。张桂芳不用再送，会收到通知；王秀兰会看到已取消。');
    fireEvent.change(within(modal).getByLabelText('原因'), { target: { value: '住户来电说不需要了' } });
    fireEvent.click(within(modal).getByRole('button', { name: /确定取消/ }));
    expect(await within(modal).findByText('这单已经送到了，不能取消')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(screen.getByText('取消这单')).toBeTruthy();
  }, 90_000);
});
