import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CarePage, CompoundList, HouseholdPage, ImportCommitResult, ImportReport } from '@linli/contracts';
import { fakeBff, renderPage } from '../../../test/render-page';
import RegistryPage from '.';

const household = (i: number, extra: Record<string, unknown> = {}) => ({
  id: i,
  communityId: 1,
  communityName: '河畔社区',
  place: `3号楼1单元${100 + i}室`,
  compoundId: 1,
  compoundName: '河畔花园',
  buildingId: 3,
  buildingName: '3号楼',
  unit: '1',
  room: String(100 + i),
  floor: 1,
  contactName: `登记${i}`,
  phone: `1370000${String(i).padStart(4, '0')}`,
  registered: i % 2 === 0,
  careHelperName: null,
  cadenceDays: null,
  openErrands: 0,
  elderlyAlone: false,
  disabled: false,
  postTreatment: false,
  chronicMedication: false,
  infants: false,
  pregnancy: false,
  ...extra,
});
const COMPOUNDS = {
  path: /\/communities\/1\/compounds$/,
  schema: CompoundList,
  body: { items: [{ id: 1, name: '河畔花园', lockdown: 'normal', buildings: [{ id: 3, name: '3号楼', floors: 7, hasLift: false }] }] },
};
/** The first tab's list, empty: for the tests of the other tabs. */
const NO_HOUSEHOLDS = { path: /\/staff\/households$/, schema: HouseholdPage, body: { items: [], nextCursor: null, total: 0 } };
const openCareTab = async () => fireEvent.click(await screen.findByText('包保台账', undefined, { timeout: 10_000 }));
/** The tab on show: a tab opened once stays mounted (hidden, so role queries skip it), with its own pager. */
const shownTab = () => within(screen.getByRole('tabpanel'));

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
  it('opens on 全部住户, pages the whole registry on the server and narrows it by a switch and a search', async () => {
    const calls = fakeBff([
      COMPOUNDS,
      {
        path: /\/staff\/households$/,
        schema: HouseholdPage,
        body: (url: URL) => {
          const p = url.searchParams;
          if (p.get('q') === '3-1-101') return { items: [household(1)], nextCursor: null, total: 1 };
          if (p.get('vulnerable') === 'true') {
            return { items: [household(7, { elderlyAlone: true, careHelperName: '李建国', cadenceDays: 3 })], nextCursor: null, total: 1 };
          }
          if (p.get('cursor') === 'p2') return { items: [household(51, { openErrands: 2 })], nextCursor: null, total: 51 };
          return { items: Array.from({ length: 50 }, (_, i) => household(i + 1)), nextCursor: 'p2', total: 51 };
        },
      },
    ]);
    renderPage(<RegistryPage />);
    expect(await screen.findByText('登记1', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText('13700000001')).toBeTruthy();
    expect(screen.getByText('第 1 页，共 51 条')).toBeTruthy();
    expect(calls.at(-1)!.url.searchParams.get('limit')).toBe('50');

    fireEvent.click(screen.getByText('下一页'));
    expect(await screen.findByText('登记51')).toBeTruthy();
    expect(screen.getByText('2 单')).toBeTruthy();
    expect(calls.at(-1)!.url.searchParams.get('cursor')).toBe('p2');
    fireEvent.click(screen.getByText('上一页'));
    expect(await screen.findByText('登记1')).toBeTruthy();

    // On the first page, a switch still reloads: from the first page, with only that filter.
    fireEvent.click(screen.getByRole('switch', { name: '只看重点人群' }));
    // 登记7 is on the unfiltered page too: wait for what only the filtered answer shows.
    expect(await screen.findByText('独居老人')).toBeTruthy();
    expect(screen.getByText('登记7')).toBeTruthy();
    expect(screen.getByText('李建国（每 3 天）')).toBeTruthy();
    expect(screen.getByText('第 1 页，共 1 条')).toBeTruthy();
    const filtered = calls.at(-1)!.url.searchParams;
    expect({ vulnerable: filtered.get('vulnerable'), cursor: filtered.get('cursor'), care: filtered.get('care') }).toEqual({
      vulnerable: 'true',
      cursor: null,
      care: null,
    });

    fireEvent.click(screen.getByRole('switch', { name: '只看重点人群' }));
    const box = screen.getByLabelText('搜索住户');
    fireEvent.change(box, { target: { value: ' 3-1-101 ' } });
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(calls.at(-1)!.url.searchParams.get('q')).toBe('3-1-101'));
    await waitFor(() => expect(screen.queryByText('登记2')).toBeNull());
    expect(screen.getByText('登记1')).toBeTruthy();
  }, 90_000);

  it('says so when no household matches, and what to do when the list cannot be loaded', async () => {
    fakeBff([COMPOUNDS, { path: /\/staff\/households$/, status: 503, body: { error: { code: 'UNAVAILABLE', message: 'db down' } } }]);
    renderPage(<RegistryPage />);
    expect(await screen.findByText(/服务器暂时出了问题，请稍后重试/, undefined, { timeout: 10_000 })).toBeTruthy();
    fakeBff([COMPOUNDS, NO_HOUSEHOLDS]);
    fireEvent.click(screen.getByText('重新加载'));
    expect(await screen.findByText(/还没有住户/)).toBeTruthy();
    expect(screen.queryByText(/服务器暂时出了问题/)).toBeNull();
    fireEvent.click(screen.getByRole('switch', { name: '只看包保户' }));
    expect(await screen.findByText('没有符合条件的住户')).toBeTruthy();
  }, 90_000);

  it('exports every page of the filtered registry as CSV, and offers no 复制到群', async () => {
    const calls = fakeBff([
      COMPOUNDS,
      {
        path: /\/staff\/households$/,
        schema: HouseholdPage,
        body: (url: URL) =>
          url.searchParams.get('cursor') === 'p2'
            ? { items: [household(2, { infants: true })], nextCursor: null, total: 2 }
            : { items: [household(1)], nextCursor: 'p2', total: 2 },
      },
    ]);
    let saved: Blob | null = null;
    URL.createObjectURL = jest.fn((b: Blob) => {
      saved = b;
      return 'blob:x';
    }) as unknown as typeof URL.createObjectURL;
    URL.revokeObjectURL = jest.fn();
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderPage(<RegistryPage />);
    expect(await screen.findByText('登记1', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByText('复制到群')).toBeNull();
    fireEvent.click(screen.getByText('导出 CSV'));
    expect(await screen.findByText('已导出 CSV，请在浏览器的下载列表里查看')).toBeTruthy();
    const exported = calls.filter((c) => c.url.searchParams.get('limit') === '200');
    expect(exported.map((c) => c.url.searchParams.get('cursor'))).toEqual([null, 'p2']);
    const csv = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(saved!);
    });
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('小区,住址,楼层,联系人,电话,重点人群,包保人,探访间隔(天),小程序注册,进行中代办');
    expect(lines.slice(1)).toEqual([
      '河畔花园,3号楼1单元101室,1,登记1,13700000001,,,,否,0',
      '河畔花园,3号楼1单元102室,1,登记2,13700000002,婴幼儿,,,是,0',
    ]);
  }, 90_000);

  it('pages the 包保 ledger on the server and filters by overdue', async () => {
    const calls = fakeBff([
      NO_HOUSEHOLDS,
      COMPOUNDS,
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
    await openCareTab();
    expect(await screen.findByText('住户1', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText('第 1 页，共 51 条')).toBeTruthy();
    fireEvent.click(shownTab().getByText('下一页'));
    expect(await screen.findByText('住户51')).toBeTruthy();
    expect(calls.at(-1)!.url.searchParams.get('cursor')).toBe('p2');
    fireEvent.click(screen.getByText('已逾期 1'));
    expect(await screen.findByText('住户99')).toBeTruthy();
    expect(screen.getByText('已逾期', { selector: '.ant-tag' })).toBeTruthy();
    expect(calls.at(-1)!.url.searchParams.get('filter')).toBe('overdue');
    expect(calls.at(-1)!.url.searchParams.get('cursor')).toBeNull();
  }, 90_000);

  it('says what to do when the ledger cannot be loaded, and retries', async () => {
    fakeBff([
      NO_HOUSEHOLDS,
      COMPOUNDS,
      { path: /\/staff\/care$/, status: 503, body: { error: { code: 'UNAVAILABLE', message: 'db down' } } },
    ]);
    renderPage(<RegistryPage />);
    await openCareTab();
    expect(await screen.findByText(/服务器暂时出了问题，请稍后重试/, undefined, { timeout: 10_000 })).toBeTruthy();
    fakeBff([
      NO_HOUSEHOLDS,
      COMPOUNDS,
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
      NO_HOUSEHOLDS,
      COMPOUNDS,
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
