import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Visits from '../src/helper/pages/visits/index';
import { fakeBff } from './support/fake-bff';
import { loggedIn, me } from './support/fixtures';

const sleep = (ms: number) => act(() => new Promise<void>((r) => setTimeout(r, ms)));

const helperUser = me({
  name: '李卫东',
  roles: ['resident', 'helper'],
  helper: {
    id: 7,
    kind: 'household_head',
    verified: true,
    onDuty: true,
    capacity: 3,
    canCarryHeavy: true,
    communityId: 1,
    zoneBuildingIds: [2],
  },
});

function visit(id: number, overrides: object = {}) {
  return {
    id,
    householdId: 10 + id,
    place: `2号楼1单元60${id}室`,
    contactName: `住户${id}`,
    phone: '13800001111',
    dueAt: '2026-11-30T01:00:00.000Z',
    status: 'pending',
    outcome: null,
    errandId: null,
    ...overrides,
  };
}

beforeEach(() => loggedIn('helper', helperUser));

describe('helper 探访 list', () => {
  it('records 平安 once however often it is tapped, and the visit leaves the list', async () => {
    let recorded = false;
    fakeBff.delayMs = 120; // the answer comes after the second tap
    fakeBff.on('GET /helper/visits', () => [200, { items: recorded ? [] : [visit(1, { status: 'missed' })] }]);
    fakeBff.on('POST /helper/visits/1', () => {
      recorded = true;
      return [200, visit(1, { status: 'done', outcome: 'safe' })];
    });
    render(<Visits />);
    expect(await screen.findByText('2号楼1单元601室')).toBeTruthy();
    expect(screen.getByText('已超时')).toBeTruthy();
    const safe = () => document.querySelector<HTMLElement>('.visit-safe')!;
    fireEvent.click(safe());
    await sleep(60);
    fireEvent.click(safe());
    expect(await screen.findByText('现在没有要探访的住户。')).toBeTruthy();
    expect(fakeBff.sent('POST /helper/visits/1').map((r) => r.body)).toEqual([{ outcome: 'safe' }]);
  });

  it('asks before raising 需要帮助, sends nothing when the helper thinks again, and sends needs_help once confirmed', async () => {
    fakeBff.on('GET /helper/visits', [200, { items: [visit(2)] }]);
    fakeBff.on('POST /helper/visits/2', [200, visit(2, { status: 'done', outcome: 'needs_help', errandId: 'e'.repeat(22) })]);
    render(<Visits />);
    fireEvent.click(await screen.findByText('需要帮助'));
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(screen.getByText(/将为2号楼1单元602室（住户2）提交一个“上门帮助”代办/)).toBeTruthy();
    fireEvent.click(screen.getByText('再想想'));
    expect(fakeBff.sent('POST /helper/visits/2')).toEqual([]);
    fireEvent.click(screen.getByText('需要帮助'));
    fireEvent.click(screen.getByText('确认求助'));
    await waitFor(() => expect(fakeBff.sent('POST /helper/visits/2').map((r) => r.body)).toEqual([{ outcome: 'needs_help' }]));
  });
});
