import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Home from '../src/pages/home/index';
import ErrandFormPage from '../src/pages/errand-form/index';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn, me, summary } from './support/fixtures';
import { relaunchAs } from '../src/lib/routes';
import { host } from './support/taro-fake';

beforeEach(() => loggedIn('resident'));

describe('the resident home page', () => {
  it('gets water to the door in three taps: 桶装水, then 提交', async () => {
    fakeBff.on('GET /errands', [200, { items: [] }]);
    fakeBff.on('POST /errands', [201, errand('offered')]);
    const home = render(<Home />);
    fireEvent.click(screen.getByLabelText('桶装水')); // tap 1
    expect(host.navigations).toEqual(['navigateTo /pages/errand-form/index?category=water']);
    home.unmount();
    host.params = { category: 'water' };
    render(<ErrandFormPage />);
    fireEvent.click(screen.getByText('提交')); // tap 2
    await waitFor(() => expect(host.navigations.at(-1)).toBe(`redirectTo /pages/errand/index?id=${ERRAND_ID}`));
  });

  it('repeats the last errand after saying what will be sent and where', async () => {
    fakeBff.on('GET /errands', [200, { items: [summary('completed', { notes: '放门口' })] }]);
    fakeBff.on('POST /errands', [201, errand('offered')]);
    render(<Home />);
    fireEvent.click(await screen.findByText('再来一单'));
    // Nothing is sent by the first tap: it only asks.
    // A quantity never wraps away from its name (non-breaking spaces around ×).
    expect(screen.getByRole('dialog').textContent).toContain('将再提交一单：桶装水 · 桶装水 18.9L\u00a0×\u00a02桶，送到您登记的住址');
    await new Promise((r) => setTimeout(r, 20));
    expect(fakeBff.sent('POST /errands')).toEqual([]);
    fireEvent.click(screen.getByText('确定下单'));
    await waitFor(() => expect(host.navigations).toEqual([`navigateTo /pages/errand/index?id=${ERRAND_ID}`]));
    expect(fakeBff.sent('POST /errands')[0]?.body).toEqual({
      category: 'water',
      items: [{ name: '桶装水 18.9L', quantity: 2, unit: '桶' }],
      heavy: true,
      urgency: 'normal',
      notes: '放门口',
    });
  });

  it('lists only errands still under way, and says so when there are none', async () => {
    fakeBff.on('GET /errands', [200, { items: [summary('completed')] }]);
    render(<Home />);
    expect(await screen.findByText('现在没有正在办的代办')).toBeTruthy();
  });

  it("opens on the offers for a helper who last acted as one, without loading the residents' errands", async () => {
    loggedIn('helper', me({ name: '李卫东', roles: ['resident', 'helper'] }));
    fakeBff.on('GET /errands', [200, { items: [] }]);
    render(<Home />);
    await waitFor(() => expect(host.navigations).toEqual(['reLaunch /helper/pages/offers/index']));
    expect(screen.queryByText('李卫东，您好')).toBeNull();
    expect(fakeBff.sent('GET /errands')).toEqual([]);
  });

  it("stays the residents' home at the next launch once a helper chose 我自己要下单", async () => {
    loggedIn('helper', me({ name: '李卫东', roles: ['resident', 'helper'] }));
    relaunchAs('resident');
    host.navigations.length = 0;
    fakeBff.on('GET /errands', [200, { items: [] }]);
    render(<Home />);
    expect(await screen.findByText('李卫东，您好')).toBeTruthy();
    expect(host.navigations).toEqual([]);
  });

  it("stays the residents' home when the remembered role was taken away", async () => {
    loggedIn('staff', me({ roles: ['resident'] }));
    fakeBff.on('GET /errands', [200, { items: [] }]);
    render(<Home />);
    expect(await screen.findByText('现在没有正在办的代办')).toBeTruthy();
    expect(host.navigations).toEqual([]);
  });
});
