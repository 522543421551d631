import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { SubscribeTemplates } from '@linli/contracts';
import { ErrandForm } from '../src/components/ErrandForm';
import { DutyCard } from '../src/helper/components/DutyCard';
import { newDraft } from '../src/lib/errand-draft';
import { CONSENT_WAIT_MS, askConsent, loadTemplates, resetSubscribeTemplates } from '../src/notify/subscribe';
import Home from '../src/pages/home/index';
import ErrandFormPage from '../src/pages/errand-form/index';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn, me, summary } from './support/fixtures';
import { host, type SubscribeAnswer } from './support/taro-fake';

// WeChat subscribe-message consent at the taps that lead to messages: submitting an errand
// (errandAccepted + errandDelivered) and going on duty (offerCreated).

const ALL: SubscribeTemplates = { offerCreated: 'tpl-offer', errandAccepted: 'tpl-accepted', errandDelivered: 'tpl-delivered' };
const HINT = '🔔 请允许微信提醒，新的代办来了会第一时间通知您';

function serveTemplates(subscribeTemplates: SubscribeTemplates = ALL): void {
  fakeBff.on('GET /auth/options', [200, { devLogin: false, wechatLogin: true, subscribeTemplates }]);
}

/** A person's tap: WeChat only shows the consent dialog to a call made while it runs. */
function tap(element: HTMLElement): void {
  host.inTap = true;
  try {
    fireEvent.click(element);
  } finally {
    host.inTap = false;
  }
}

/** The template load the page started on mount (the same promise, so no second request). */
const templatesLoaded = () => act(async () => void (await loadTemplates()));

const helperProfile = {
  id: 7,
  kind: 'household_head' as const,
  verified: true,
  onDuty: false,
  capacity: 3,
  canCarryHeavy: true,
  communityId: 1,
  zoneBuildingIds: [2],
};

function helperOffDuty(): void {
  loggedIn('helper', me({ name: '李卫东', roles: ['resident', 'helper'], helper: helperProfile }));
}

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
  loggedIn('resident');
  serveTemplates();
});

afterEach(() => {
  process.env.TARO_ENV = 'h5';
});

describe('consent when a resident submits an errand', () => {
  it('asks for 已接单 and 已送达 from the tap, then submits and opens the errand', async () => {
    host.params = { category: 'water' };
    let consentsWhenCreated = -1;
    fakeBff.on('POST /errands', () => {
      consentsWhenCreated = host.subscribeRequests.length;
      return [201, errand('offered')];
    });
    render(<ErrandFormPage />);
    await templatesLoaded();
    tap(screen.getByText('提交'));
    expect(host.subscribeRequests).toEqual([{ tmplIds: ['tpl-accepted', 'tpl-delivered'], inTap: true }]);
    await waitFor(() => expect(host.navigations).toEqual([`redirectTo /pages/errand/index?id=${ERRAND_ID}`]));
    expect(consentsWhenCreated).toBe(1);
    expect(fakeBff.sent('POST /errands')).toHaveLength(1);
  });

  it.each<[SubscribeAnswer]>([['reject'], ['ban'], ['filter'], ['fail'], ['throw'], ['missing']])(
    'still submits the errand when the answer is %s',
    async (answer) => {
      host.subscribeAnswer = answer;
      host.params = { category: 'water' };
      fakeBff.on('POST /errands', [201, errand('offered')]);
      render(<ErrandFormPage />);
      await templatesLoaded();
      tap(screen.getByText('提交'));
      await waitFor(() => expect(host.navigations).toEqual([`redirectTo /pages/errand/index?id=${ERRAND_ID}`]));
      expect(fakeBff.sent('POST /errands')).toHaveLength(1);
      expect(screen.queryByRole('alert')).toBeNull();
    },
  );

  it('asks only for the templates the BFF has, and not at all when it has none', async () => {
    serveTemplates({ offerCreated: 'tpl-offer', errandAccepted: null, errandDelivered: 'tpl-delivered' });
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [201, errand('offered')]);
    const first = render(<ErrandFormPage />);
    await templatesLoaded();
    tap(screen.getByText('提交'));
    expect(host.subscribeRequests).toEqual([{ tmplIds: ['tpl-delivered'], inTap: true }]);
    await waitFor(() => expect(host.navigations).toHaveLength(1));
    first.unmount();

    // A fresh app run against a BFF with no resident templates.
    resetSubscribeTemplates();
    serveTemplates({ offerCreated: 'tpl-offer', errandAccepted: null, errandDelivered: null });
    render(<ErrandFormPage />);
    await templatesLoaded();
    tap(screen.getByText('提交'));
    await waitFor(() => expect(host.navigations).toHaveLength(2));
    expect(host.subscribeRequests).toHaveLength(1);
    expect(fakeBff.sent('POST /errands')).toHaveLength(2);
  });

  it('does not ask for a form that cannot be sent', async () => {
    host.params = { category: 'medicine' };
    render(<ErrandFormPage />);
    await templatesLoaded();
    tap(screen.getByText('提交'));
    expect(await screen.findByText('请填写物品名称')).toBeTruthy();
    expect(host.subscribeRequests).toEqual([]);
  });

  it('does not ask again when the same errand is sent again after a network failure', async () => {
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [0, null]);
    render(<ErrandFormPage />);
    await templatesLoaded();
    tap(screen.getByText('提交'));
    expect(await screen.findByText(/不会重复下单/)).toBeTruthy();
    fakeBff.on('POST /errands', [201, errand('offered')]);
    tap(screen.getByText('重新提交'));
    await waitFor(() => expect(host.navigations).toHaveLength(1));
    expect(host.subscribeRequests).toHaveLength(1);
    expect(fakeBff.sent('POST /errands')).toHaveLength(2);
  });

  it('submits without asking when the templates have not arrived yet', async () => {
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<ErrandFormPage />);
    tap(screen.getByText('提交')); // before the load the page started has answered
    await waitFor(() => expect(host.navigations).toHaveLength(1));
    expect(host.subscribeRequests).toEqual([]);
  });

  it('does not ask the helper who types in an errand for a neighbour (the neighbour gets no WeChat message)', async () => {
    helperOffDuty();
    fakeBff.on('POST /errands', [201, errand('offered')]);
    const onCreated = jest.fn();
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
    render(<ErrandForm draft={newDraft('water')} onDraftChange={() => undefined} onBehalfOf={neighbour} onCreated={onCreated} />);
    await templatesLoaded();
    tap(screen.getByText('提交'));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(host.subscribeRequests).toEqual([]);
  });

  it('asks from the tap that confirms 再来一单 on the home page, then repeats the errand', async () => {
    fakeBff.on('GET /errands', [200, { items: [summary('completed')] }]);
    fakeBff.on('POST /errands', [201, errand('offered')]);
    host.subscribeAnswer = 'reject';
    render(<Home />);
    const repeat = await screen.findByText('再来一单');
    await templatesLoaded();
    tap(repeat);
    // Opening the confirmation asks nothing yet; its 确定下单 is the tap that sends.
    expect(host.subscribeRequests).toEqual([]);
    tap(await screen.findByText('确定下单'));
    expect(host.subscribeRequests).toEqual([{ tmplIds: ['tpl-accepted', 'tpl-delivered'], inTap: true }]);
    await waitFor(() => expect(host.navigations).toEqual([`navigateTo /pages/errand/index?id=${ERRAND_ID}`]));
  });

  it('in the browser build never loads templates nor asks, and submits as before', async () => {
    process.env.TARO_ENV = 'h5';
    host.params = { category: 'water' };
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<ErrandFormPage />);
    await templatesLoaded();
    tap(screen.getByText('提交'));
    await waitFor(() => expect(host.navigations).toHaveLength(1));
    expect(host.subscribeRequests).toEqual([]);
    expect(fakeBff.sent('GET /auth/options')).toEqual([]);
  });
});

describe('consent when a helper goes on duty', () => {
  beforeEach(() => helperOffDuty());

  it('explains it, asks for new-offer news from the tap, then locates and goes on duty', async () => {
    host.location = { latitude: 41.79, longitude: 123.43 };
    fakeBff.on('PUT /helper/duty', [200, { ...helperProfile, onDuty: true }]);
    render(<DutyCard onChanged={() => undefined} />);
    expect(await screen.findByText(HINT)).toBeTruthy();
    tap(screen.getByText('上岗接单'));
    expect(host.subscribeRequests).toEqual([{ tmplIds: ['tpl-offer'], inTap: true }]);
    expect(await screen.findByText('正在值守')).toBeTruthy();
    // WeChat's location prompt only after the consent dialog was answered.
    expect(host.prompts).toEqual(['subscribe', 'location']);
    expect(fakeBff.sent('PUT /helper/duty')[0]?.body).toEqual({ onDuty: true, lat: 41.79, lng: 123.43 });
    expect(screen.queryByText(HINT)).toBeNull();
  });

  it.each<[SubscribeAnswer]>([['reject'], ['ban'], ['fail'], ['throw'], ['missing']])(
    'still goes on duty when the answer is %s',
    async (answer) => {
      host.subscribeAnswer = answer;
      fakeBff.on('PUT /helper/duty', [200, { ...helperProfile, onDuty: true }]);
      render(<DutyCard onChanged={() => undefined} />);
      await screen.findByText(HINT);
      tap(screen.getByText('上岗接单'));
      expect(await screen.findByText('正在值守')).toBeTruthy();
      expect(fakeBff.sent('PUT /helper/duty')).toHaveLength(1);
    },
  );

  it('does not ask when going off duty', async () => {
    loggedIn('helper', me({ roles: ['resident', 'helper'], helper: { ...helperProfile, onDuty: true } }));
    fakeBff.on('PUT /helper/duty', [200, helperProfile]);
    render(<DutyCard onChanged={() => undefined} />);
    await templatesLoaded();
    expect(screen.queryByText(HINT)).toBeNull();
    tap(screen.getByText('下岗休息'));
    expect(await screen.findByText('休息中')).toBeTruthy();
    expect(host.subscribeRequests).toEqual([]);
  });

  it('neither explains nor asks when the BFF sends no offer messages', async () => {
    serveTemplates({ offerCreated: null, errandAccepted: 'tpl-accepted', errandDelivered: 'tpl-delivered' });
    fakeBff.on('PUT /helper/duty', [200, { ...helperProfile, onDuty: true }]);
    render(<DutyCard onChanged={() => undefined} />);
    await templatesLoaded();
    expect(screen.queryByText(HINT)).toBeNull();
    tap(screen.getByText('上岗接单'));
    expect(await screen.findByText('正在值守')).toBeTruthy();
    expect(host.subscribeRequests).toEqual([]);
  });

  it('in the browser build neither explains nor asks', async () => {
    process.env.TARO_ENV = 'h5';
    fakeBff.on('PUT /helper/duty', [200, { ...helperProfile, onDuty: true }]);
    render(<DutyCard onChanged={() => undefined} />);
    await templatesLoaded();
    expect(screen.queryByText(HINT)).toBeNull();
    tap(screen.getByText('上岗接单'));
    expect(await screen.findByText('正在值守')).toBeTruthy();
    expect(host.subscribeRequests).toEqual([]);
  });
});

describe('the templates and the request', () => {
  it('loads the templates once per app run, however many pages ask', async () => {
    fakeBff.on('GET /errands', [200, { items: [] }]);
    host.params = { category: 'water' };
    render(<Home />);
    render(<ErrandFormPage />);
    helperOffDuty();
    render(<DutyCard onChanged={() => undefined} />);
    await screen.findByText(HINT);
    await templatesLoaded();
    expect(fakeBff.sent('GET /auth/options')).toHaveLength(1);
  });

  it('tries the load again on the next page after it failed', async () => {
    fakeBff.on('GET /auth/options', [503, { error: { code: 'UNAVAILABLE', message: '忙' } }]);
    expect(await loadTemplates()).toBeNull();
    serveTemplates();
    expect(await loadTemplates()).toEqual(ALL);
    expect(await loadTemplates()).toEqual(ALL);
    expect(fakeBff.sent('GET /auth/options')).toHaveLength(2);
  });

  it('is refused by WeChat outside a tap, and says so as no consent', async () => {
    await loadTemplates();
    await expect(askConsent('resident-errand')).resolves.toEqual([]);
    expect(host.subscribeRequests).toEqual([{ tmplIds: ['tpl-accepted', 'tpl-delivered'], inTap: false }]);
  });

  it('tells which templates were accepted', async () => {
    await loadTemplates();
    host.inTap = true;
    const asked = askConsent('helper-duty');
    host.inTap = false;
    await expect(asked).resolves.toEqual(['tpl-offer']);
  });

  it('stops waiting for a dialog that never answers, so the action goes on', async () => {
    await loadTemplates();
    jest.useFakeTimers();
    try {
      host.subscribeAnswer = 'never';
      host.inTap = true;
      const asked = askConsent('resident-errand');
      host.inTap = false;
      let settled: string[] | undefined;
      void asked.then((ids) => (settled = ids));
      await jest.advanceTimersByTimeAsync(CONSENT_WAIT_MS - 1);
      expect(settled).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(settled).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });
});
