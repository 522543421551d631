import { cleanup, configure } from '@testing-library/react';
import { FakeWebSocket, host } from './taro-fake';
import { fakeBff } from './fake-bff';
import { resetSubscribeTemplates } from '../../src/notify/subscribe';
import { resetElderlyModeCache } from '../../src/store/elderly-mode';
import { confirmGuard } from '../../src/components/ConfirmDialog';

// Taro's h5 runtime requires itself in a cycle (taro-h5 → router → components → taro), so the
// real module is only reached lazily, on first use of something the fake does not replace.
jest.mock('@tarojs/taro', () => {
  const { fakeTaro } = jest.requireActual('./taro-fake');
  let actual: Record<string, unknown> | undefined;
  const real = (): Record<string, unknown> => {
    const loaded: Record<string, unknown> = (actual ??= jest.requireActual<Record<string, unknown>>('@tarojs/taro'));
    return (loaded.default as Record<string, unknown> | undefined) ?? loaded;
  };
  const overrides: Record<string | symbol, unknown> = fakeTaro();
  const Taro = new Proxy(overrides, { get: (target, key) => (key in target ? target[key] : real()[key as string]) });
  return new Proxy({}, { get: (_t, key) => (key === '__esModule' ? true : key === 'default' ? Taro : Taro[key as string]) });
});

// A waitFor gives up after 1 s by default: on two cores busy with the other workspaces' suites a
// page's first render alone can take that long (seen once in a full run), so a slow machine would
// fail a correct page. Wrong pages still fail, only later.
configure({ asyncUtilTimeout: 10_000 });

// h5 code opens the browser's WebSocket directly: keep it off the network in every suite.
Object.assign(globalThis, { WebSocket: FakeWebSocket });

beforeEach(() => {
  host.reset();
  fakeBff.reset();
  resetElderlyModeCache();
  resetSubscribeTemplates();
  // Tests about other things confirm at once; test/single-flight covers the guard itself.
  confirmGuard.ms = 0;
});

afterEach(() => cleanup());
