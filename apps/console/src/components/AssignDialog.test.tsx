import { useState } from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Button } from 'antd';
import { AssignCandidateList } from '@linli/contracts';
import { assignCandidate } from '../../test/fixtures';
import { fakeBff, holdBack, renderPage } from '../../test/render-page';
import { AssignDialog, type AssignTarget } from './AssignDialog';

const A: AssignTarget = { id: 'AAAAAAAAAAAAAAAAAAAAAA', title: '王秀兰 · 桶装水', helperName: null };
const B: AssignTarget = { id: 'BBBBBBBBBBBBBBBBBBBBBB', title: '刘建国 · 药品', helperName: null };

/** The board's use: one dialog, opened on one errand, closed, opened on the next. */
function Board() {
  const [target, setTarget] = useState<AssignTarget | null>(null);
  return (
    <>
      <Button onClick={() => setTarget(A)}>派单A</Button>
      <Button onClick={() => setTarget(B)}>派单B</Button>
      <AssignDialog target={target} onClose={() => setTarget(null)} />
    </>
  );
}

describe('派单 dialog', () => {
  it("never offers the first errand's candidates for the next one when the first list comes late", async () => {
    fakeBff([
      {
        path: /\/errands\/[AB]+\/candidates$/,
        schema: AssignCandidateList,
        body: (url: URL) =>
          url.pathname.includes('AAAA')
            ? { heavy: true, items: [assignCandidate(1, '李卫东')] }
            : { heavy: false, items: [assignCandidate(2, '冯晓雪')] },
      },
    ]);
    // A's candidates are held back until B's have been shown.
    const releaseA = holdBack((url) => url.pathname.includes('AAAA'));
    renderPage(<Board />);
    fireEvent.click(screen.getByRole('button', { name: '派单A' }));
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape', code: 'Escape', keyCode: 27 });
    fireEvent.click(screen.getByRole('button', { name: '派单B' }));
    expect(await screen.findByText('冯晓雪')).toBeTruthy();
    releaseA();
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByText('李卫东')).toBeNull();
    await waitFor(() => expect(screen.getByRole('radio', { checked: true })).toBeTruthy());
    expect(screen.getByText('冯晓雪').closest('label')?.querySelector('input')?.checked).toBe(true);
  }, 60_000);
});
