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

describe("长辈模式 follows WeChat's font setting until the person chooses", () => {
  function rootStyle(): string {
    return page().getAttribute('style') ?? '';
  }

  it('starts on at the 关怀模式 size (23.8 / 17 on iOS) and stays off at the standard size', () => {
    host.fontScale = 23.8 / 17;
    const first = render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(true);
    first.unmount();

    resetElderlyModeCache();
    host.fontScale = 1;
    render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(false);
    expect(rootStyle()).not.toContain('--linli-font-scale');
  });

  it('scales the type between the standard and the care-mode size, never below ours', () => {
    host.fontScale = 21 / 17; // iOS +3 on a 375 screen
    const first = render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(false);
    expect(rootStyle()).toContain('--linli-font-scale: 1.24');
    first.unmount();

    resetElderlyModeCache();
    host.fontScale = 16 / 17; // the smaller step: our sizes are already the minimums
    render(<Home />);
    expect(rootStyle()).not.toContain('--linli-font-scale');
  });

  it('in 长辈模式 scales further only above the care-mode size', () => {
    host.fontScale = 2.1; // beyond WeChat's largest step: capped with the care-mode base
    render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(true);
    expect(rootStyle()).toContain('--linli-font-scale: 1.5');
  });

  it('an explicit choice wins over the font setting, both ways', () => {
    host.fontScale = 1.4;
    host.storage.set('linli.elderlyMode', false);
    const first = render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(false);
    first.unmount();

    resetElderlyModeCache();
    host.fontScale = 1;
    host.storage.set('linli.elderlyMode', true);
    render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(true);
  });

  it('reads getSystemInfoSync on a base library without getAppBaseInfo', () => {
    host.fontScale = 'missing';
    host.systemFontScale = 1.45;
    render(<Home />);
    expect(page().classList.contains('page--elderly')).toBe(true);
  });

  it('a switch tap after the default is remembered as the choice', () => {
    host.fontScale = 1.4;
    render(<Home />);
    fireEvent.click(document.querySelector('.nut-switch') as Element);
    expect(page().classList.contains('page--elderly')).toBe(false);
    expect(host.storage.get('linli.elderlyMode')).toBe(false);
  });
});
