import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Home from '../src/pages/home/index';
import ErrandFormPage from '../src/pages/errand-form/index';
import { fakeBff } from './support/fake-bff';
import { ERRAND_ID, errand, loggedIn, summary } from './support/fixtures';
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
    expect(screen.getByRole('dialog').textContent).toContain('将再提交一单：桶装水 · 桶装水 18.9L × 2桶，送到您登记的住址');
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
});
