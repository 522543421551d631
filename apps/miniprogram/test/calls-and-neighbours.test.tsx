import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import ErrandPage from '../src/pages/errand/index';
import ErrandFormPage from '../src/pages/errand-form/index';
import Home from '../src/pages/home/index';
import Neighbour from '../src/helper/pages/neighbour/index';
import Tasks from '../src/helper/pages/tasks/index';
import MyErrands from '../src/pages/errands/index';
import { fakeBff } from './support/fake-bff';
import { DUTY_PHONE, ERRAND_ID, errand, loggedIn, me, summary } from './support/fixtures';
import { host } from './support/taro-fake';

const compounds = {
  items: [{ id: 1, name: '河畔花园', lockdown: 'closed', buildings: [{ id: 2, name: '2号楼', floors: 6, hasLift: false }] }],
};
const forNeighbour = {
  onBehalf: true,
  // As the BFF shows it to the submitter: the door, not who is registered there.
  address: { unit: '3', room: '302', contactName: '张**', phone: '' },
};

async function type(label: string, value: string) {
  const field = await waitFor(() => {
    const el = screen.getByLabelText(label).querySelector('input');
    if (!el) throw new Error(`${label}: input not rendered yet`);
    return el;
  });
  fireEvent.input(field, { target: { value } });
}

async function fillNeighbourDoor() {
  fireEvent.click(await screen.findByText('河畔花园'));
  fireEvent.click(screen.getByText('2号楼'));
  await type('单元', '3');
  await type('楼层', '3');
  await type('门牌号', '302');
  await type('联系人', '张大爷');
  await type('手机号', '13500005555');
}

describe('打电话', () => {
  beforeEach(() => {
    loggedIn('resident');
    host.params = { id: ERRAND_ID };
  });

  it("dials the errand's privacy number when the BFF binds one", async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/call`, [200, { kind: 'privacy', number: '17000000001', expiresAt: '2026-11-28T20:00:00.000Z' }]);
    render(<ErrandPage />);
    fireEvent.click(await screen.findByText('打电话'));
    await waitFor(() => expect(host.calls).toEqual(['17000000001']));
    expect(fakeBff.sent(`POST /errands/${ERRAND_ID}/call`)).toHaveLength(1);
  });

  it('says it is the community duty phone, then dials it, when no privacy number can be had', async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/call`, [200, { kind: 'duty', number: '024-22220000' }]);
    render(<ErrandPage />);
    fireEvent.click(await screen.findByText('打电话'));
    await waitFor(() => expect(host.calls).toEqual(['024-22220000']));
    expect(host.modals).toEqual(['拨打社区值班电话 024-22220000']);
  });

  it('falls back to the duty phone it already knows when the BFF cannot be reached', async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('accepted')]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/call`, [0, null]);
    render(<ErrandPage />);
    fireEvent.click(await screen.findByText('打电话'));
    await waitFor(() => expect(host.calls).toEqual([DUTY_PHONE]));
  });

  it('shows the community duty phone on the errand page and dials it on a tap', async () => {
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('offered')]);
    render(<ErrandPage />);
    expect(await screen.findByText(DUTY_PHONE)).toBeTruthy();
    fireEvent.click(screen.getByText('拨打'));
    expect(host.calls).toEqual([DUTY_PHONE]);
  });

  it('shows 社区值班电话 on the home page with tap-to-call', async () => {
    fakeBff.on('GET /errands', [200, { items: [] }]);
    render(<Home />);
    expect(screen.getByText('河畔社区值班电话')).toBeTruthy();
    expect(screen.getByText(DUTY_PHONE)).toBeTruthy();
    fireEvent.click(screen.getByText('拨打'));
    expect(host.calls).toEqual([DUTY_PHONE]);
  });

  it('leaves the duty phone out for a session stored before it existed', async () => {
    const old = me();
    delete (old as Partial<typeof old>).community;
    loggedIn('resident', old);
    fakeBff.on('GET /errands', [200, { items: [] }]);
    render(<Home />);
    expect(screen.queryByText('拨打')).toBeNull();
    expect(screen.getByText('给家人/邻居下单')).toBeTruthy();
  });
});

describe('errands for a neighbour', () => {
  it('lands the helper on a page with the code to pass on and 取消 after submitting', async () => {
    loggedIn('helper', me({ roles: ['resident', 'helper'] }));
    fakeBff.on('GET /communities/1/compounds', [200, compounds]);
    fakeBff.on('POST /errands', [201, errand('offered', forNeighbour)]);
    render(<Neighbour />);
    await fillNeighbourDoor();
    fireEvent.click(screen.getByText('提交'));
    await waitFor(() => expect(host.navigations).toEqual([`redirectTo /pages/errand/index?id=${ERRAND_ID}`]));
  });

  it('shows the submitter the code to read out to the neighbour, and lets them cancel', async () => {
    loggedIn('helper', me({ roles: ['resident', 'helper'] }));
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('offered', forNeighbour)]);
    fakeBff.on(`POST /errands/${ERRAND_ID}/cancel`, [200, errand('cancelled', forNeighbour)]);
    render(<ErrandPage />);
    expect(await screen.findByText('请把交接码告诉邻居：')).toBeTruthy();
    expect(screen.getByText('4821')).toBeTruthy();
    expect(screen.getByText(/送给 张\*\* · 3单元 302/)).toBeTruthy();
    fireEvent.click(screen.getByText('取消这单'));
    fireEvent.click(await screen.findByText('取消代办')); // cancelling is confirmed first
    expect(await screen.findByText('这单已取消')).toBeTruthy();
  });

  it('keeps the usual wording for the household an errand was made for', async () => {
    loggedIn('resident');
    host.params = { id: ERRAND_ID };
    fakeBff.on(`GET /errands/${ERRAND_ID}`, [200, errand('offered', { onBehalf: true })]);
    render(<ErrandPage />);
    expect(await screen.findByText('交接码（东西送到时告诉对方）')).toBeTruthy();
  });

  it('links the helper to 我代下的单, which lists only errands ordered for others', async () => {
    loggedIn('helper', me({ roles: ['resident', 'helper'] }));
    fakeBff.on('GET /helper/tasks', [200, { items: [] }]);
    const tasks = render(<Tasks />);
    fireEvent.click(screen.getByText('我代下的单 ›'));
    expect(host.navigations).toEqual(['navigateTo /pages/errands/index?onBehalf=1']);
    tasks.unmount();
    host.params = { onBehalf: '1' };
    const own = { ...summary('offered'), id: 'BBBBBBBBBBBBBBBBBBBBBB', items: [{ name: '自己的米', quantity: 1 }] };
    fakeBff.on('GET /errands', [200, { items: [summary('offered', { onBehalf: true }), own] }]);
    render(<MyErrands />);
    expect(await screen.findByText('我代下的单')).toBeTruthy();
    await waitFor(() => expect(document.querySelectorAll('.errand-card').length).toBe(1));
    expect(screen.queryByText(/自己的米/)).toBeNull();
  });

  it('lets a resident order for family or a neighbour in their community', async () => {
    loggedIn('resident');
    host.params = { category: 'water' };
    fakeBff.on('GET /communities/1/compounds', [200, compounds]);
    fakeBff.on('POST /errands', [201, errand('offered', forNeighbour)]);
    render(<ErrandFormPage />);
    fireEvent.click(screen.getByText('给家人/邻居下单'));
    await fillNeighbourDoor();
    fireEvent.click(screen.getByText('提交'));
    await waitFor(() => expect(host.navigations).toEqual([`redirectTo /pages/errand/index?id=${ERRAND_ID}`]));
    expect(fakeBff.sent('POST /errands')[0]?.body).toMatchObject({
      category: 'water',
      onBehalfOf: { buildingId: 2, unit: '3', floor: 3, room: '302', contactName: '张大爷', phone: '13500005555' },
    });
  });
});
