import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import ErrandFormPage from '../src/pages/errand-form/index';
import Home from '../src/pages/home/index';
import Offers from '../src/helper/pages/offers/index';
import Task from '../src/helper/pages/task/index';
import Assign from '../src/staff/pages/assign/index';
import { ErrandForm } from '../src/components/ErrandForm';
import { confirmGuard } from '../src/components/ConfirmDialog';
import { newDraft } from '../src/lib/errand-draft';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn, me, offer, summary } from './support/fixtures';
import { host } from './support/taro-fake';

// Every action that creates or changes something runs once however often it is tapped: taps
// 60 ms apart (the double tap), whether the BFF answers within those 60 ms or not.
const sleep = (ms: number) => act(() => new Promise<void>((r) => setTimeout(r, ms)));

/** Taps what `find` finds now (the same spot on screen), `times` times, `gapMs` apart. */
async function tapRepeatedly(find: () => HTMLElement | null, times: number, gapMs = 60): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const target = find();
    if (target) fireEvent.click(target);
    if (i < times - 1) await sleep(gapMs);
  }
  await sleep(50);
}

const buttonWith = (text: string) => () => screen.queryByText(text)?.closest('.nut-button') as HTMLElement | null;
/** The action button wherever it is, whatever it says while busy. */
const byClass = (className: string) => () => document.querySelector<HTMLElement>(`.${className}`);

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
const staffUser = me({ name: '张敏', roles: ['staff'], household: null });
const neighbour = {
  buildingId: 2,
  unit: '1',
  floor: 3,
  room: '301',
  contactName: '赵大爷',
  phone: '13800002222',
  elderlyAlone: true,
  disabled: false,
  postTreatment: false,
  chronicMedication: false,
  infants: false,
  pregnancy: false,
};

describe.each([
  [2, 0],
  [3, 0],
  [2, 300],
  [3, 300],
])('%i taps 60 ms apart, the BFF answering in %i ms', (taps, delayMs) => {
  beforeEach(() => {
    fakeBff.delayMs = delayMs;
  });

  it('提交 creates one errand, with one Idempotency-Key', async () => {
    loggedIn('resident');
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<ErrandFormPage />);
    await tapRepeatedly(byClass('submit-errand'), taps);
    if (delayMs > 0) expect(document.querySelector('.submit-errand')?.textContent).toBe('提交中…');
    await waitFor(() => expect(host.navigations).toEqual([`redirectTo /pages/errand/index?id=${ERRAND_ID}`]));
    await sleep(delayMs + 50);
    expect(fakeBff.sent('POST /errands')).toHaveLength(1);
  });

  it('再来一单 (confirmed) creates one errand', async () => {
    loggedIn('resident');
    fakeBff.on('GET /errands', [200, { items: [summary('completed')] }]);
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<Home />);
    await screen.findByText('再来一单');
    await tapRepeatedly(buttonWith('再来一单'), taps);
    await tapRepeatedly(byClass('confirm-dialog__confirm'), taps);
    await waitFor(() => expect(host.navigations).toEqual([`navigateTo /pages/errand/index?id=${ERRAND_ID}`]));
    await sleep(delayMs + 50);
    expect(fakeBff.sent('POST /errands')).toHaveLength(1);
  });

  it('帮邻居下单 creates one errand for the neighbour', async () => {
    loggedIn('helper', helperUser);
    fakeBff.on('POST /errands', [201, errand('offered', { onBehalf: true })]);
    const onCreated = jest.fn();
    render(<ErrandForm draft={newDraft('water')} onDraftChange={() => undefined} onBehalfOf={neighbour} onCreated={onCreated} />);
    await tapRepeatedly(byClass('submit-errand'), taps);
    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));
    await sleep(delayMs + 50);
    expect(fakeBff.sent('POST /errands')).toHaveLength(1);
    expect(onCreated).toHaveBeenCalledTimes(1);
  });

  it('我来送 accepts once', async () => {
    loggedIn('helper', helperUser);
    fakeBff.on('GET /helper/offers', [200, { items: [offer()] }]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/accept`, [200, errand('accepted', { viewerRole: 'helper' })]);
    render(<Offers />);
    await screen.findByText('我来送');
    await tapRepeatedly(byClass('accept-offer'), taps);
    await waitFor(() => expect(host.navigations).toEqual([`navigateTo /helper/pages/task/index?id=${ERRAND_ID}`]));
    await sleep(delayMs + 50);
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/accept`)).toHaveLength(1);
  });

  it('已送到 delivers once', async () => {
    loggedIn('helper', helperUser);
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('in_progress', { viewerRole: 'helper' })]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/deliver`, [200, errand('delivered', { viewerRole: 'helper' })]);
    render(<Task />);
    const input = await waitFor(() => {
      const el = document.querySelector('.handover-input input');
      if (!el) throw new Error('handover input not rendered yet');
      return el;
    });
    fireEvent.input(input, { target: { value: '4821' } });
    await tapRepeatedly(byClass('deliver'), taps);
    await screen.findByText('已送达', { selector: '.errand-status' });
    await sleep(delayMs + 50);
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/deliver`)).toHaveLength(1);
  });

  it('staff 指派 (confirmed) assigns once', async () => {
    loggedIn('staff', staffUser);
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('escalated', { viewerRole: 'staff' })]);
    fakeBff.on('GET /staff/helpers', [
      200,
      {
        items: [
          {
            id: 7,
            userId: 107,
            name: '李卫东',
            phone: '13801010101',
            kind: 'household_head',
            verified: true,
            onDuty: true,
            capacity: 3,
            canCarryHeavy: true,
            activeTasks: 0,
            rating: null,
          },
        ],
      },
    ]);
    fakeBff.on(`POST /staff/errands/${ERRAND_ID}/assign`, [200, errand('accepted', { viewerRole: 'staff' })]);
    render(<Assign />);
    fireEvent.click(await screen.findByText(/^李卫东\s· 党员中心户/));
    await tapRepeatedly(byClass('assign'), taps);
    // What the page reads again after the assignment.
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted', { viewerRole: 'staff' })]);
    await tapRepeatedly(byClass('confirm-dialog__confirm'), taps);
    await screen.findByText('现在由 李卫东 负责');
    await sleep(delayMs + 50);
    expect(fakeBff.sent(`POST /staff/errands/${ERRAND_ID}/assign`)).toHaveLength(1);
  });
});

describe('a double tap on a button that asks first', () => {
  it('opens the confirmation, and the second tap (landing on the dialog) neither confirms nor dismisses it', async () => {
    confirmGuard.ms = 500;
    loggedIn('resident');
    fakeBff.on('GET /errands', [200, { items: [summary('completed')] }]);
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<Home />);
    await screen.findByText('再来一单');
    fireEvent.click(buttonWith('再来一单')()!);
    await sleep(60);
    // Where the finger lands the second time is now the dialog: its confirm, or its mask.
    fireEvent.click(byClass('confirm-dialog__confirm')()!);
    fireEvent.click(byClass('confirm-dialog__mask')()!);
    await sleep(50);
    expect(fakeBff.sent('POST /errands')).toEqual([]);
    expect(screen.getByRole('dialog')).toBeTruthy();
    // Read, then confirmed: sent once.
    await sleep(500);
    fireEvent.click(byClass('confirm-dialog__confirm')()!);
    await waitFor(() => expect(fakeBff.sent('POST /errands')).toHaveLength(1));
  });
});
