import { fireEvent, screen, waitFor } from '@testing-library/react';
import { CompoundList, HelperList, HelperSummary, HelperZones, Ledger } from '@linli/contracts';
import { fakeBff, holdBack, renderPage } from '../../../test/render-page';
import HelpersPage from '.';

const helper = (id: number, over: Partial<HelperSummary> = {}) => ({
  id,
  userId: 100 + id,
  name: ['李建国', '王芳', '赵强'][id - 1] ?? `志愿者${id}`,
  phone: `1390000000${id}`,
  kind: 'household_head' as const,
  verified: true,
  onDuty: id === 1,
  capacity: 3,
  canCarryHeavy: true,
  activeTasks: id === 1 ? 2 : 0,
  rating: 4.8,
  ...over,
});
type HelperSummary = ReturnType<typeof HelperSummary.parse>;

const compounds = {
  items: [
    {
      id: 1,
      name: '河畔花园',
      lockdown: 'normal',
      buildings: [1, 2, 3].map((b) => ({ id: b, name: `${b}号楼`, floors: 6, hasLift: false })),
    },
    { id: 2, name: '东苑', lockdown: 'controlled', buildings: [{ id: 4, name: '东1栋', floors: 18, hasLift: true }] },
  ],
};

describe('党员中心户', () => {
  it('shows the roster with duty and workload, and verifies a helper after asking', async () => {
    const calls = fakeBff([
      { path: /\/staff\/helpers$/, schema: HelperList, body: { items: [helper(1), helper(2, { verified: false })] } },
      { method: 'POST', path: /\/staff\/helpers\/2\/verify$/, schema: HelperSummary, body: helper(2, { verified: true }) },
    ]);
    renderPage(<HelpersPage />);
    expect(await screen.findByText('李建国')).toBeTruthy();
    expect(screen.getByText('2/3 单')).toBeTruthy();
    expect(screen.getByText('待认证')).toBeTruthy();
    fireEvent.click(screen.getByText('认 证'));
    fireEvent.click(await screen.findByText('确认认证'));
    await waitFor(() => expect(screen.queryByText('待认证')).toBeNull());
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(String(post.init.body))).toEqual({ verified: true });
  }, 90_000);

  it('asks once and verifies once when the desk double-clicks 认证 and then 确认认证', async () => {
    const calls = fakeBff([
      { path: /\/staff\/helpers$/, schema: HelperList, body: { items: [helper(2, { verified: false })] } },
      { method: 'POST', path: /\/staff\/helpers\/2\/verify$/, schema: HelperSummary, body: helper(2, { verified: true }) },
    ]);
    renderPage(<HelpersPage />);
    const verify = await screen.findByText('认 证');
    fireEvent.doubleClick(verify); // a browser's double click: two clicks, then dblclick
    fireEvent.click(verify);
    fireEvent.click(verify);
    const ok = await screen.findByText('确认认证');
    expect(document.querySelectorAll('.ant-modal-confirm')).toHaveLength(1);
    fireEvent.click(ok);
    fireEvent.click(ok);
    await waitFor(() => expect(screen.queryByText('待认证')).toBeNull());
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  }, 90_000);

  it('edits a helper’s zone on the grid of the community’s buildings, starting from the zone they have', async () => {
    const calls = fakeBff([
      { path: /\/staff\/helpers$/, schema: HelperList, body: { items: [helper(1, { zoneBuildingIds: [1] })] } },
      { path: /\/communities\/1\/compounds$/, schema: CompoundList, body: compounds },
      { method: 'PUT', path: /\/staff\/helpers\/1\/zones$/, schema: HelperZones, body: { helperId: 1, buildingIds: [2, 4] } },
    ]);
    renderPage(<HelpersPage />);
    fireEvent.click(await screen.findByText('负责楼栋'));
    await screen.findByText('保存（1 栋）'); // 1号楼 is ticked: the zone as it is
    fireEvent.click(await screen.findByText('2号楼'));
    fireEvent.click(screen.getByText('东1栋'));
    fireEvent.click(screen.getByText('1号楼'));
    fireEvent.click(screen.getByText('保存（2 栋）'));
    expect(await screen.findByText('已保存：李建国 负责 2 栋楼')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(JSON.parse(String(put.init.body))).toEqual({ buildingIds: [2, 4] });
  }, 90_000);

  it('shows the service-hours ledger of a month', async () => {
    const ledger = {
      month: '2026-11',
      communityIds: [1],
      helpers: [
        {
          helperId: 1,
          name: '李建国',
          kind: 'household_head',
          communityId: 1,
          errandsDone: 17,
          hoursOnDuty: 42.5,
          deliveryAvgMs: 1_800_000,
          deliveryP50Ms: 1_500_000,
          deliveryP90Ms: 3_600_000,
          thanks: 9,
          averageStars: 4.9,
        },
      ],
    };
    const calls = fakeBff([
      { path: /\/staff\/helpers$/, schema: HelperList, body: { items: [] } },
      { path: /\/staff\/ledger$/, schema: Ledger, body: ledger },
    ]);
    renderPage(<HelpersPage />);
    fireEvent.click(await screen.findByText('服务时长台账'));
    expect(await screen.findByText('42.5')).toBeTruthy();
    expect(screen.getByText('60 分钟')).toBeTruthy();
    expect(calls.find((c) => c.url.pathname.endsWith('/ledger'))!.url.searchParams.get('month')).toMatch(/^\d{4}-\d{2}$/);
  }, 90_000);

  it('shows the month picked last when an earlier month answers after it', async () => {
    const row = (name: string) => ({
      helperId: 1,
      name,
      kind: 'volunteer',
      communityId: 1,
      errandsDone: 3,
      hoursOnDuty: 5,
      deliveryAvgMs: null,
      deliveryP50Ms: null,
      deliveryP90Ms: null,
      thanks: 0,
      averageStars: null,
    });
    fakeBff([
      { path: /\/staff\/helpers$/, schema: HelperList, body: { items: [] } },
      {
        path: /\/staff\/ledger$/,
        schema: Ledger,
        body: (url: URL) => {
          const month = url.searchParams.get('month')!;
          return { month, communityIds: [1], helpers: [row(`${month}的志愿者`)] };
        },
      },
    ]);
    // September's ledger is slow; October, picked after it, answers first.
    const releaseSeptember = holdBack((url) => url.searchParams.get('month') === '2026-09');
    renderPage(<HelpersPage />);
    fireEvent.click(await screen.findByText('服务时长台账'));
    const month = await screen.findByLabelText('月份');
    fireEvent.change(month, { target: { value: '2026-09' } });
    fireEvent.change(month, { target: { value: '2026-10' } });
    expect(await screen.findByText('2026-10的志愿者')).toBeTruthy();
    releaseSeptember();
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByText('2026-09的志愿者')).toBeNull();
    expect(screen.getByText('2026-10的志愿者')).toBeTruthy();
  }, 90_000);
});
