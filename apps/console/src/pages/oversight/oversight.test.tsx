import { fireEvent, screen } from '@testing-library/react';
import { ERRAND_STATUSES, OversightCommunityList, OversightQueue } from '@linli/contracts';
import { fakeBff, renderPage } from '../../../test/render-page';
import { queueEntry } from '../../../test/fixtures';
import OversightPage from '.';

const byStatus = (open: number) => ({ ...Object.fromEntries(ERRAND_STATUSES.map((s) => [s, 0])), pending: open - 1, escalated: 1 });
const community = (id: number, name: string, open: number) => ({
  id,
  name,
  streetId: 3,
  streetName: '花桥街道',
  openByStatus: byStatus(open),
  open,
  escalated: 1,
  helpersOnDuty: 4,
  compounds: { total: 5, controlled: 1, closed: 0 },
});

describe('街道/区总览', () => {
  it('rolls up the communities and drills down into one community’s read-only queue', async () => {
    const calls = fakeBff([
      {
        path: /\/oversight\/communities$/,
        schema: OversightCommunityList,
        body: { items: [community(1, '河畔社区', 12), community(2, '东苑社区', 3)] },
      },
      {
        path: /\/oversight\/communities\/2\/queue$/,
        schema: OversightQueue,
        body: {
          items: [
            queueEntry(1, {
              place: { communityId: 2, compoundName: '东苑', compoundLockdown: 'normal', buildingName: '1栋', floor: 3, hasLift: false },
            }),
          ],
          nextCursor: null,
          counts: { all: 3, unmatched: 2, offered: 0, escalated: 1, in_progress: 0, delivered: 0 },
          tierCounts: { red: 0, yellow: 3, blue: 0 },
          communityId: 2,
          readOnly: true,
        },
      },
    ]);
    renderPage(<OversightPage />, ['resident', 'district_staff']);
    expect(await screen.findByText('2 个社区，未完成 15 单，已上报 2 单，在岗 8 人')).toBeTruthy();
    expect(screen.getAllByText('5（1/0）')).toHaveLength(2);
    // Read-only scopes export but never copy to a group or act.
    expect(screen.getByText('导出 CSV')).toBeTruthy();
    expect(screen.queryByText('复制到群')).toBeNull();
    fireEvent.click(screen.getByText('东苑社区'));
    expect(await screen.findByText('花桥街道 · 东苑社区 未完成的代办（3 单）')).toBeTruthy();
    expect(screen.getByText('东苑 3-1-601')).toBeTruthy();
    expect(calls.at(-1)!.url.pathname).toBe('/api/v1/oversight/communities/2/queue');
    fireEvent.click(screen.getByText('返回总览'));
    expect(await screen.findByText('河畔社区')).toBeTruthy();
  }, 90_000);
});
