import { fireEvent, screen, waitFor } from '@testing-library/react';
import { CompoundList, ERRAND_STATUSES, Ok, StaffErrandHistory } from '@linli/contracts';
import { fakeBff, renderPage } from '../../../test/render-page';
import { queueEntry } from '../../../test/fixtures';
import CompoundsPage from '.';

const compounds = {
  items: [
    { id: 1, name: '河畔花园', lockdown: 'normal', buildings: [{ id: 1, name: '1号楼', floors: 6, hasLift: false }] },
    { id: 2, name: '东苑', lockdown: 'closed', buildings: [{ id: 4, name: '东1栋', floors: 18, hasLift: true }] },
  ],
};
const history = (n: number) => ({
  items: Array.from({ length: n }, (_, i) => queueEntry(i + 1)),
  nextCursor: null,
  counts: {
    byStatus: { ...Object.fromEntries(ERRAND_STATUSES.map((st) => [st, 0])), pending: n },
    byTier: { red: 0, yellow: n, blue: 0 },
    total: n,
    exact: true,
  },
});

describe('小区管控', () => {
  it('lists compounds with their lockdown and the open errands of the chosen one', async () => {
    const calls = fakeBff([
      { path: /\/communities\/1\/compounds$/, schema: CompoundList, body: compounds },
      {
        path: /\/staff\/errands$/,
        schema: StaffErrandHistory,
        body: (url: URL) => history(url.searchParams.get('compoundId') === '2' ? 1 : 3),
      },
    ]);
    renderPage(<CompoundsPage />);
    expect(await screen.findByText('河畔花园 未完成的代办（3 单）')).toBeTruthy();
    expect(screen.getByText('住户3')).toBeTruthy();
    const query = calls.find((c) => c.url.pathname.endsWith('/staff/errands'))!.url.searchParams;
    expect(query.get('status')).toBe('pending,offered,accepted,in_progress,delivered,escalated');
    fireEvent.click(screen.getByText('东苑'));
    expect(await screen.findByText('东苑 未完成的代办（1 单）')).toBeTruthy();
  }, 90_000);

  it('changes a lockdown only after confirming, with the reason', async () => {
    const calls = fakeBff([
      { path: /\/communities\/1\/compounds$/, schema: CompoundList, body: compounds },
      { path: /\/staff\/errands$/, schema: StaffErrandHistory, body: history(0) },
      { method: 'PUT', path: /\/staff\/compounds\/1\/lockdown$/, schema: Ok, body: { ok: true } },
    ]);
    const { container } = renderPage(<CompoundsPage />);
    await screen.findByText('河畔花园 未完成的代办（0 单）');
    const select = container.querySelector('.ant-select') as HTMLElement;
    fireEvent.mouseDown(select.querySelector('.ant-select-content, .ant-select-selector') ?? select);
    fireEvent.click(await screen.findByText('管控', { selector: '.ant-select-item-option-content' }));
    expect((await screen.findAllByText('把 河畔花园 从「正常」改为「管控」？')).length).toBeGreaterThan(0);
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    fireEvent.change(screen.getByPlaceholderText('原因（选填）'), { target: { value: '出现确诊病例' } });
    fireEvent.click(screen.getByText('确认修改'));
    expect(await screen.findByText('河畔花园 已改为「管控」')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(JSON.parse(String(calls.find((c) => c.method === 'PUT')!.init.body))).toEqual({
      lockdown: 'controlled',
      reason: '出现确诊病例',
    });
  }, 90_000);

  it('changes a lockdown once when the desk double-clicks the confirmation', async () => {
    const calls = fakeBff([
      { path: /\/communities\/1\/compounds$/, schema: CompoundList, body: compounds },
      { path: /\/staff\/errands$/, schema: StaffErrandHistory, body: history(0) },
      { method: 'PUT', path: /\/staff\/compounds\/1\/lockdown$/, schema: Ok, body: { ok: true } },
    ]);
    const { container } = renderPage(<CompoundsPage />);
    await screen.findByText('河畔花园 未完成的代办（0 单）');
    const select = container.querySelector('.ant-select') as HTMLElement;
    fireEvent.mouseDown(select.querySelector('.ant-select-content, .ant-select-selector') ?? select);
    fireEvent.click(await screen.findByText('封闭', { selector: '.ant-select-item-option-content' }));
    const ok = (await screen.findByText('确认修改')).closest('button')!;
    fireEvent.click(ok);
    fireEvent.click(ok);
    expect(await screen.findByText('河畔花园 已改为「封闭」')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
  }, 90_000);
});
