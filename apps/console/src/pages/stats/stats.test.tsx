import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ScopeTree, StatsReport } from '@linli/contracts';
import { fakeBff, holdBack, renderPage } from '../../../test/render-page';
import StatsPage from '.';

const counts = (created: number) => ({
  created,
  delivered: created - 1,
  deliveredWithinTier: created - 2,
  withinTierShare: (created - 2) / (created - 1),
  completed: created - 1,
  cancelled: 1,
  escalated: 0,
});
const latency = { acceptP50Ms: 300_000, acceptP90Ms: 900_000, deliverP50Ms: 2_400_000, deliverP90Ms: 5_400_000 };
const report = (communityIds: number[]) => ({
  from: '2026-11-01',
  to: '2026-11-30',
  granularity: 'day',
  communityIds,
  totals: { ...counts(120), ...latency, activeHelpers: 14, householdsServed: 88, vulnerableHouseholdsServed: 21 },
  series: ['2026-11-28', '2026-11-29', '2026-11-30'].map((period, i) => ({ period, ...counts(10 + i), ...latency })),
  byCategory: [
    { category: 'water', ...counts(40) },
    { category: 'medicine', ...counts(30) },
  ],
  byCompound: [{ compoundId: 1, compoundName: '河畔花园', communityId: 1, ...counts(70) }],
  topHelpers: [],
});

describe('统计', () => {
  it('draws the community’s figures and charts from /staff/stats', async () => {
    const calls = fakeBff([{ path: /\/staff\/stats$/, schema: StatsReport, body: report([1]) }]);
    renderPage(<StatsPage />);
    expect(await screen.findByText('88（21）')).toBeTruthy();
    expect(screen.getByText('5 / 15')).toBeTruthy(); // accept p50/p90 in minutes
    expect(screen.getByText('40 / 90')).toBeTruthy();
    expect(screen.getByText('99%')).toBeTruthy(); // 118 of 119 delivered within the tier
    for (const label of ['每日新建与完成', '接单与送达用时', '时限内送达占比', '按类别', '按小区'])
      expect(screen.getByRole('img', { name: label })).toBeTruthy();
    const query = calls[0]!.url.searchParams;
    expect(query.get('granularity')).toBe('day');
    expect(query.get('communityId')).toBeNull();
    fireEvent.click(screen.getByText('近90天'));
    await waitFor(() => expect(calls.at(-1)!.url.searchParams.get('granularity')).toBe('week'));
  }, 90_000);

  it('says in words what a range without errands has nothing to chart for, instead of bare axes', async () => {
    const none = { delivered: 0, deliveredWithinTier: 0, withinTierShare: null, completed: 0, cancelled: 0, escalated: 0, created: 0 };
    const noLatency = { acceptP50Ms: null, acceptP90Ms: null, deliverP50Ms: null, deliverP90Ms: null };
    const quiet = {
      ...report([1]),
      totals: { ...none, ...noLatency, activeHelpers: 0, householdsServed: 0, vulnerableHouseholdsServed: 0 },
      series: ['2026-11-29', '2026-11-30'].map((period) => ({ period, ...none, ...noLatency })),
      byCategory: [],
      byCompound: [],
    };
    fakeBff([{ path: /\/staff\/stats$/, schema: StatsReport, body: quiet }]);
    renderPage(<StatsPage />);
    expect(await screen.findByText('这段时间还没有代办被接单或送达')).toBeTruthy();
    expect(screen.getByText('这段时间还没有送达的代办')).toBeTruthy();
    expect(screen.getAllByText('这段时间还没有代办')).toHaveLength(2); // by category, by compound
    // Days with no errands are still days: the daily line of zeros is drawn.
    const charts = ['每日新建与完成', '接单与送达用时', '时限内送达占比', '按类别', '按小区'];
    expect(charts.filter((label) => screen.queryByRole('img', { name: label }))).toEqual(['每日新建与完成']);
  }, 90_000);

  it('says <1 for a percentile in the under-a-minute bucket rather than rounding it up to 1 minute', async () => {
    const quick = report([1]);
    quick.totals = { ...quick.totals, acceptP50Ms: 60_000, acceptP90Ms: 90_000 };
    fakeBff([{ path: /\/staff\/stats$/, schema: StatsReport, body: quick }]);
    renderPage(<StatsPage />);
    expect(await screen.findByText('<1 / 2')).toBeTruthy();
  }, 90_000);

  it('shows the range chosen last when an earlier, slower answer arrives after it', async () => {
    // Each answer is numbered as it is made: 101 (30 days), 102 (7 days), then 103 (the held 90 days).
    let asked = 100;
    fakeBff([
      {
        path: /\/staff\/stats$/,
        schema: StatsReport,
        body: () => {
          const r = report([1]);
          return { ...r, totals: { ...r.totals, householdsServed: ++asked } };
        },
      },
    ]);
    // The 90-day (weekly) answer is held back until the 7-day one has been shown.
    const releaseSlow = holdBack((url) => url.searchParams.get('granularity') === 'week');
    renderPage(<StatsPage />);
    await screen.findByText('101（21）');
    fireEvent.click(screen.getByText('近90天'));
    fireEvent.click(screen.getByText('近7天'));
    await screen.findByText('102（21）');
    releaseSlow();
    await waitFor(() => expect(asked).toBe(103));
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByText('103（21）')).toBeNull();
    expect(screen.getByText('102（21）')).toBeTruthy();
  }, 90_000);

  it('lets street staff pick one community of their scope', async () => {
    const scope = {
      level: 'street',
      readOnly: true,
      communityIds: [1, 2],
      districts: [
        {
          id: 1,
          name: '江岸区',
          streets: [
            {
              id: 3,
              name: '花桥街道',
              communities: [
                { id: 1, name: '河畔社区' },
                { id: 2, name: '东苑社区' },
              ],
            },
          ],
        },
      ],
    };
    const calls = fakeBff([
      { path: /\/oversight\/scope$/, schema: ScopeTree, body: scope },
      { path: /\/staff\/stats$/, schema: StatsReport, body: (url: URL) => report(url.searchParams.get('communityId') ? [2] : [1, 2]) },
    ]);
    const { container } = renderPage(<StatsPage />, ['resident', 'street_staff']);
    expect(await screen.findByText('全街道')).toBeTruthy();
    fireEvent.mouseDown(
      container.querySelector('.ant-select .ant-select-content, .ant-select .ant-select-selector') ??
        container.querySelector('.ant-select')!,
    );
    fireEvent.click(await screen.findByText('花桥街道 · 东苑社区', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect(calls.at(-1)!.url.searchParams.get('communityId')).toBe('2'));
  }, 90_000);
});
