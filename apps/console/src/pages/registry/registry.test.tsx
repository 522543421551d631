import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CarePage, ImportCommitResult, ImportReport } from '@linli/contracts';
import { fakeBff, renderPage } from '../../../test/render-page';
import RegistryPage from '.';

const hour = 3_600_000;
const care = (i: number, overdue = false) => ({
  householdId: i,
  communityId: 1,
  helperId: 7,
  helperName: '李建国',
  cadenceDays: 3,
  place: `3号楼1单元${600 + i}`,
  contactName: `住户${i}`,
  nextVisitDueAt: new Date(Date.now() + (overdue ? -hour : 24 * hour)).toISOString(),
  lastVisitAt: i % 2 ? new Date(Date.now() - 48 * hour).toISOString() : null,
  lastOutcome: i % 2 ? ('safe' as const) : null,
  overdue,
});

describe('住户台账', () => {
  it('pages the 包保 ledger on the server and filters by overdue', async () => {
    const calls = fakeBff([
      {
        path: /\/staff\/care$/,
        schema: CarePage,
        body: (url: URL) => {
          const filter = url.searchParams.get('filter');
          const cursor = url.searchParams.get('cursor');
          if (filter === 'overdue') return { items: [care(99, true)], nextCursor: null, counts: { all: 51, due_today: 2, overdue: 1 } };
          if (cursor === 'p2') return { items: [care(51)], nextCursor: null, counts: { all: 51, due_today: 2, overdue: 1 } };
          return {
            items: Array.from({ length: 50 }, (_, i) => care(i + 1)),
            nextCursor: 'p2',
            counts: { all: 51, due_today: 2, overdue: 1 },
          };
        },
      },
    ]);
    renderPage(<RegistryPage />);
    expect(await screen.findByText('住户1', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText('第 1 页，共 51 条')).toBeTruthy();
    fireEvent.click(screen.getByText('下一页'));
    expect(await screen.findByText('住户51')).toBeTruthy();
    expect(calls.at(-1)!.url.searchParams.get('cursor')).toBe('p2');
    fireEvent.click(screen.getByText('已逾期 1'));
    expect(await screen.findByText('住户99')).toBeTruthy();
    expect(screen.getByText('已逾期', { selector: '.ant-tag' })).toBeTruthy();
    expect(calls.at(-1)!.url.searchParams.get('filter')).toBe('overdue');
    expect(calls.at(-1)!.url.searchParams.get('cursor')).toBeNull();
  }, 90_000);

  it('says what to do when the ledger cannot be loaded, and retries', async () => {
    fakeBff([{ path: /\/staff\/care$/, status: 503, body: { error: { code: 'UNAVAILABLE', message: 'db down' } } }]);
    renderPage(<RegistryPage />);
    expect(await screen.findByText(/服务器暂时出了问题，请稍后重试/, undefined, { timeout: 10_000 })).toBeTruthy();
    fakeBff([
      {
        path: /\/staff\/care$/,
        schema: CarePage,
        body: { items: [care(5)], nextCursor: null, counts: { all: 1, due_today: 0, overdue: 0 } },
      },
    ]);
    fireEvent.click(screen.getByText('重新加载'));
    expect(await screen.findByText('住户5')).toBeTruthy();
  }, 90_000);

  it('uploads a list, shows row errors in Chinese, and commits a clean one', async () => {
    const bad = {
      batchId: 11,
      kind: 'households',
      valid: 2,
      invalid: 1,
      errors: [{ row: 3, column: '电话', message: '不是有效的手机号' }],
      preview: [],
      committable: false,
      expiresAt: new Date(Date.now() + hour).toISOString(),
    };
    const good = { ...bad, batchId: 12, valid: 3, invalid: 0, errors: [], committable: true };
    let uploads = 0;
    const calls = fakeBff([
      { path: /\/staff\/care$/, schema: CarePage, body: { items: [], nextCursor: null, counts: { all: 0, due_today: 0, overdue: 0 } } },
      { method: 'POST', path: /\/staff\/imports\/households$/, schema: ImportReport, body: () => (uploads++ === 0 ? bad : good) },
      {
        method: 'POST',
        path: /\/staff\/imports\/12\/commit$/,
        schema: ImportCommitResult,
        body: { batchId: 12, applied: true, inserted: 2, updated: 1 },
      },
    ]);
    const { container } = renderPage(<RegistryPage />);
    fireEvent.click(await screen.findByText('导入名单', undefined, { timeout: 10_000 }));
    const input = () => container.querySelector('input[type=file]') as HTMLInputElement;
    await waitFor(() => expect(input()).toBeTruthy());
    const file = new File(['楼栋,单元\n3号楼,1'], 'households.csv', { type: 'text/csv' });
    fireEvent.change(input(), { target: { files: [file] } });
    expect(await screen.findByText('不是有效的手机号')).toBeTruthy();
    expect(screen.getByText(/有 1 行需要修改/)).toBeTruthy();
    expect(screen.getByText(/确认导入/).closest('button')!.disabled).toBe(true);
    expect(calls.find((c) => c.method === 'POST')!.init.body).toBeInstanceOf(FormData);

    fireEvent.click(screen.getByText('重新上传'));
    await waitFor(() => expect(input()).toBeTruthy());
    fireEvent.change(input(), { target: { files: [file] } });
    const confirm = await screen.findByText(/确认导入 3 行/);
    fireEvent.click(confirm);
    expect(await screen.findByText('导入完成：新增 2 条，更新 1 条')).toBeTruthy();
    expect(within(document.body).queryByText(/导入没有完成/)).toBeNull();
  }, 90_000);
});
