import { useState } from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Button } from 'antd';
import { AssignCandidateList } from '@linli/contracts';
import { assignCandidate, errandView } from '../../test/fixtures';
import { fakeBff, holdBack, renderPage } from '../../test/render-page';
import { AssignDialog, type AssignTarget } from './AssignDialog';
import { ErrandStepIn } from './ErrandStepIn';

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

  it('keeps the pick and the reason while the errand behind it is read again (a live change in the drawer)', async () => {
    const calls = fakeBff([
      {
        path: /\/errands\/A+\/candidates$/,
        schema: AssignCandidateList,
        body: {
          heavy: false,
          items: [assignCandidate(7, '李卫东', true), assignCandidate(9, '张桂芳', false), assignCandidate(11, '冯晓雪', false)],
        },
      },
    ]);
    /** The drawer's use: each read of the errand is a new object with the same content. */
    function Drawer() {
      const [errand, setErrand] = useState(() =>
        errandView({ status: 'accepted', helper: { id: 7, name: '李卫东', kind: 'household_head', phone: null } }),
      );
      return (
        <>
          <Button onClick={() => setErrand((e) => ({ ...e }))}>再读一次</Button>
          <ErrandStepIn errand={errand} onDone={() => undefined} onAssigned={() => undefined} />
        </>
      );
    }
    renderPage(<Drawer />);
    fireEvent.click(screen.getByRole('button', { name: /改\s*派/ }));
    fireEvent.click((await screen.findByText('冯晓雪')).closest('label')!);
    fireEvent.change(screen.getByLabelText('派单原因'), { target: { value: '原来的人病了' } });
    fireEvent.click(screen.getByRole('button', { name: '再读一次' }));
    fireEvent.click(screen.getByRole('button', { name: '再读一次' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.getByLabelText<HTMLInputElement>('派单原因').value).toBe('原来的人病了');
    expect(screen.getByText('冯晓雪').closest('label')?.querySelector('input')?.checked).toBe(true);
    expect(calls.filter((c) => c.url.pathname.endsWith('/candidates'))).toHaveLength(1);
  }, 60_000);
});
