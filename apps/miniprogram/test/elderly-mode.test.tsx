import { fireEvent, render, screen } from '@testing-library/react';
import Home from '../src/pages/home/index';
import { fakeBff } from './support/fake-bff';
import { loggedIn } from './support/fixtures';
import { host } from './support/taro-fake';
import { resetElderlyModeCache } from '../src/store/elderly-mode';

beforeEach(() => {
  loggedIn('resident');
  fakeBff.on('GET /errands', [200, { items: [] }]);
});

function page(): Element {
  const el = document.querySelector('.page');
  if (!el) throw new Error('no page rendered');
  return el;
}

describe('长辈模式', () => {
  it('is off at first, and one switch turns the large type on and remembers it', async () => {
    const first = render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(false);
    const toggle = document.querySelector('.nut-switch');
    fireEvent.click(toggle as Element);
    expect(page().classList.contains('page--elderly')).toBe(true);
    expect(host.storage.get('linli.elderlyMode')).toBe(true);
    first.unmount();

    resetElderlyModeCache();
    render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(true);
    // The resident flow stays usable: the big buttons are still there and still work.
    fireEvent.click(screen.getByLabelText('桶装水'));
    expect(host.navigations).toEqual(['navigateTo /pages/errand-form/index?category=water']);
  });
});
