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
});
