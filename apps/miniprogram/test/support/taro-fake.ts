/**
 * What the pages' Taro calls do under test: requests go to the fake BFF, storage is a Map,
 * navigation and toasts are recorded, the router's params are set by each test.
 */
import { fakeBff } from './fake-bff';

export const host = {
  params: {} as Record<string, string>,
  storage: new Map<string, unknown>(),
  navigations: [] as string[],
  toasts: [] as string[],
  modalConfirms: true,
  calls: [] as string[],
  reset(): void {
    this.params = {};
    this.storage.clear();
    this.navigations = [];
    this.toasts = [];
    this.modalConfirms = true;
    this.calls = [];
  },
};

export function fakeTaro() {
  const nav = (kind: string) => (o: { url: string }) => {
    host.navigations.push(`${kind} ${o.url}`);
    return Promise.resolve();
  };
  return {
    request: (o: { url: string; method?: string; data?: unknown; header?: Record<string, string> }) => fakeBff.handle(o),
    getStorageSync: (k: string) => host.storage.get(k) ?? '',
    setStorageSync: (k: string, v: unknown) => void host.storage.set(k, v),
    removeStorageSync: (k: string) => void host.storage.delete(k),
    navigateTo: nav('navigateTo'),
    redirectTo: nav('redirectTo'),
    reLaunch: nav('reLaunch'),
    showToast: (o: { title: string }) => {
      host.toasts.push(o.title);
      return Promise.resolve();
    },
    showModal: () => Promise.resolve({ confirm: host.modalConfirms, cancel: !host.modalConfirms }),
    makePhoneCall: (o: { phoneNumber: string }) => {
      host.calls.push(o.phoneNumber);
      return Promise.resolve();
    },
    stopPullDownRefresh: () => undefined,
    useRouter: () => ({ params: host.params, path: '' }),
    useDidShow: () => undefined,
    usePullDownRefresh: () => undefined,
  };
}
