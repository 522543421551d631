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
  /** Where pageScrollTo was asked to take the page (its selectors), in order. */
  scrolls: [] as string[],
  modalConfirms: true,
  /** Titles of the showModal dialogs raised, in order. */
  modals: [] as string[],
  calls: [] as string[],
  sockets: [] as FakeSocket[],
  webSockets: [] as FakeWebSocket[],
  appShow: [] as (() => void)[],
  appHide: [] as (() => void)[],
  /** True only while a test's tap runs its handlers (see `tap` in the tests), as WeChat tracks it. */
  inTap: false,
  /** How the consent dialog answers every template, or how the API fails. */
  subscribeAnswer: 'accept' as SubscribeAnswer,
  subscribeRequests: [] as { tmplIds: string[]; inTap: boolean }[],
  /** Where getLocation says the phone is; null: it fails (refused, throttled). */
  location: null as { latitude: number; longitude: number } | null,
  /** Native dialogs and prompts in the order they were raised. */
  prompts: [] as string[],
  /**
   * WeChat's font setting as wx.getAppBaseInfo reports it; 'missing' (an old base library):
   * only getSystemInfoSync knows it (`systemFontScale`).
   */
  fontScale: undefined as number | undefined | 'missing',
  systemFontScale: undefined as number | undefined,
  /** The page stack getCurrentPages reports (empty: unknown, as in most page tests). */
  pages: [] as { route: string }[],
  reset(): void {
    this.pages = [];
    this.params = {};
    this.storage.clear();
    this.navigations = [];
    this.toasts = [];
    this.scrolls = [];
    this.modalConfirms = true;
    this.modals = [];
    this.calls = [];
    this.sockets = [];
    this.webSockets = [];
    this.inTap = false;
    this.subscribeAnswer = 'accept';
    this.subscribeRequests = [];
    this.location = null;
    this.prompts = [];
    this.fontScale = undefined;
    this.systemFontScale = undefined;
  },
};

/**
 * 'accept'/'reject'/'ban'/'filter': WeChat answers each template so; 'fail': the call fails
 * (main switch off, network); 'throw': it throws at once; 'never': the dialog never answers;
 * 'missing': an old base library without the API.
 */
export type SubscribeAnswer = 'accept' | 'reject' | 'ban' | 'filter' | 'fail' | 'throw' | 'never' | 'missing';

/** wx.requestSubscribeMessage as WeChat behaves: outside a tap it fails without a dialog. */
function requestSubscribeMessage(o: { tmplIds: string[] }): Promise<Record<string, string>> {
  host.subscribeRequests.push({ tmplIds: [...o.tmplIds], inTap: host.inTap });
  if (!host.inTap) {
    return Promise.reject({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.', errCode: 10005 });
  }
  host.prompts.push('subscribe');
  const answer = host.subscribeAnswer;
  if (answer === 'throw') throw new TypeError('requestSubscribeMessage is broken');
  if (answer === 'never') return new Promise(() => undefined);
  if (answer === 'fail') return Promise.reject({ errMsg: 'requestSubscribeMessage:fail The main switch is switched off', errCode: 20004 });
  return Promise.resolve(Object.fromEntries([['errMsg', 'requestSubscribeMessage:ok'], ...o.tmplIds.map((id) => [id, answer])]));
}

/** A wx SocketTask the test drives by hand: open it, push messages, drop it; it records what was sent. */
export class FakeSocket {
  closed = false;
  closeCode: number | undefined;
  readonly sent: string[] = [];
  private handlers: Record<string, ((arg: unknown) => void)[]> = {};
  constructor(readonly url: string) {}
  private on = (name: string) => (fn: (arg: unknown) => void) => void (this.handlers[name] ??= []).push(fn);
  onOpen = this.on('open');
  onClose = this.on('close');
  onError = this.on('error');
  onMessage = this.on('message');
  send(o: { data: string }): void {
    this.sent.push(o.data);
  }
  close(o?: { code?: number }): void {
    this.closed = true;
    this.closeCode = o?.code;
  }
  emit(name: 'open' | 'close' | 'error' | 'message', arg?: unknown): void {
    this.handlers[name]?.forEach((fn) => fn(arg));
  }
  /** What the client sent, parsed. */
  messages(): Record<string, unknown>[] {
    return this.sent.map((m) => JSON.parse(m) as Record<string, unknown>);
  }
  /** The server sends one message. */
  push(message: unknown): void {
    this.emit('message', { data: JSON.stringify(message) });
  }
}

/**
 * The browser's WebSocket for h5 code under jsdom: never touches the network, never opens unless
 * a test says so (page tests then simply keep polling).
 */
export class FakeWebSocket {
  readyState = 0;
  readonly sent: string[] = [];
  closeCode: number | undefined;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(readonly url: string) {
    host.webSockets.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closeCode = code;
    this.readyState = 3;
  }
  serverOpens(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  serverSends(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  serverCloses(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
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
    navigateBack: () => {
      host.navigations.push('navigateBack');
      return Promise.resolve();
    },
    getCurrentPages: () => host.pages,
    showToast: (o: { title: string }) => {
      host.toasts.push(o.title);
      return Promise.resolve();
    },
    showModal: (o: { title?: string }) => {
      host.modals.push(o.title ?? '');
      return Promise.resolve({ confirm: host.modalConfirms, cancel: !host.modalConfirms });
    },
    makePhoneCall: (o: { phoneNumber: string }) => {
      host.calls.push(o.phoneNumber);
      return Promise.resolve();
    },
    stopPullDownRefresh: () => undefined,
    pageScrollTo: (o: { selector?: string }) => {
      host.scrolls.push(o.selector ?? '');
      return Promise.resolve();
    },
    login: () => Promise.resolve({ code: 'wx-code-123', errMsg: 'login:ok' }),
    connectSocket: (o: { url: string }) => {
      const socket = new FakeSocket(o.url);
      host.sockets.push(socket);
      return Promise.resolve(socket);
    },
    onAppShow: (fn: () => void) => void host.appShow.push(fn),
    onAppHide: (fn: () => void) => void host.appHide.push(fn),
    get requestSubscribeMessage() {
      return host.subscribeAnswer === 'missing' ? undefined : requestSubscribeMessage;
    },
    getLocation: () => {
      host.prompts.push('location');
      return host.location
        ? Promise.resolve({ ...host.location, errMsg: 'getLocation:ok' })
        : Promise.reject({ errMsg: 'getLocation:fail auth deny' });
    },
    get getAppBaseInfo() {
      return host.fontScale === 'missing' ? undefined : () => ({ SDKVersion: '3.0.0', fontSizeScaleFactor: host.fontScale });
    },
    getSystemInfoSync: () => ({ fontSizeScaleFactor: host.systemFontScale }),
    useRouter: () => ({ params: host.params, path: host.pages.length > 0 ? `/${host.pages[host.pages.length - 1]!.route}` : '' }),
    useDidShow: () => undefined,
    usePullDownRefresh: () => undefined,
  };
}
