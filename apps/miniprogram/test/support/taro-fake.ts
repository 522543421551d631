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
  sockets: [] as FakeSocket[],
  reset(): void {
    this.params = {};
    this.storage.clear();
    this.navigations = [];
    this.toasts = [];
    this.modalConfirms = true;
    this.calls = [];
    this.sockets = [];
  },
};

/** A WebSocket task the test drives by hand: open it, push messages, drop it. */
export class FakeSocket {
  closed = false;
  private handlers: Record<string, ((arg: unknown) => void)[]> = {};
  constructor(readonly url: string) {}
  private on = (name: string) => (fn: (arg: unknown) => void) => void (this.handlers[name] ??= []).push(fn);
  onOpen = this.on('open');
  onClose = this.on('close');
  onError = this.on('error');
  onMessage = this.on('message');
  close(): void {
    this.closed = true;
  }
  emit(name: 'open' | 'close' | 'error' | 'message', arg?: unknown): void {
    this.handlers[name]?.forEach((fn) => fn(arg));
  }
}

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
    login: () => Promise.resolve({ code: 'wx-code-123', errMsg: 'login:ok' }),
    connectSocket: (o: { url: string }) => {
      const socket = new FakeSocket(o.url);
      host.sockets.push(socket);
      return Promise.resolve(socket);
    },
    useRouter: () => ({ params: host.params, path: '' }),
    useDidShow: () => undefined,
    usePullDownRefresh: () => undefined,
  };
}
