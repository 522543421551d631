import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

/**
 * A small stand-in for WeChat's mini-program host: enough of `wx`, `App`, `Page`, `Component`,
 * `getApp` and the per-file `require` to run the built weapp bundle in Node, call the page
 * lifecycle and read what the page rendered through setData.
 */
type Options = Record<string, unknown> & {
  success?: (r: unknown) => void;
  fail?: (e: unknown) => void;
  complete?: (r: unknown) => void;
};
type Lifecycle = Record<string, unknown> & {
  onLaunch?: (o: unknown) => void;
  onShow?: (o?: unknown) => void;
  onLoad?: (q: unknown) => void;
  onReady?: () => void;
  data?: Record<string, unknown>;
};
export type Responder = (method: string, path: string) => [number, unknown];

/** A wx SocketTask that never touches the network: the test opens it and speaks for the server. */
export class HostSocket {
  readonly sent: string[] = [];
  closed = false;
  private readonly handlers: Record<string, ((arg: unknown) => void)[]> = {};
  constructor(readonly url: string) {}
  private on = (name: string) => (fn: (arg: unknown) => void) => void (this.handlers[name] ??= []).push(fn);
  onOpen = this.on('open');
  onMessage = this.on('message');
  onClose = this.on('close');
  onError = this.on('error');
  send(o: Options & { data: string }): void {
    this.sent.push(o.data);
    o.success?.({ errMsg: 'sendSocketMessage:ok' });
  }
  close(o?: Options & { code?: number }): void {
    this.closed = true;
    o?.success?.({ errMsg: 'closeSocket:ok' });
  }
  open(): void {
    this.handlers.open?.forEach((fn) => fn({ header: {} }));
  }
  push(message: unknown): void {
    this.handlers.message?.forEach((fn) => fn({ data: JSON.stringify(message) }));
  }
}

export interface PageInstance {
  route: string;
  data: Record<string, unknown>;
  text: () => string;
  /** A person's tap on the element showing `label`, bubbling up as WeChat delivers it. */
  tap: (label: string) => void;
}

interface RenderedNode {
  sid?: string;
  v?: string;
  cn?: RenderedNode[];
}

/** The elements from the root down to the one whose own text is `label` (text nodes excluded). */
function pathTo(node: RenderedNode, label: string, trail: RenderedNode[] = []): RenderedNode[] | null {
  const children = node.cn ?? [];
  if (children.some((c) => c.v === label)) return [...trail, node];
  for (const child of children) {
    const found = pathTo(child, label, [...trail, node]);
    if (found) return found;
  }
  return null;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.').map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
  let node: Record<string | number, unknown> = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = typeof keys[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
  });
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

export class WeappHost {
  readonly storage = new Map<string, unknown>();
  readonly navigations: string[] = [];
  readonly requests: string[] = [];
  readonly sockets: HostSocket[] = [];
  readonly appShowListeners: ((o: unknown) => void)[] = [];
  /** Every wx.requestSubscribeMessage call, and whether it came while a tap was running. */
  readonly subscribeRequests: { tmplIds: string[]; inTap: boolean }[] = [];
  private inTap = false;
  /** WeChat's font setting (wx.getAppBaseInfo().fontSizeScaleFactor); undefined as in old clients. */
  fontScale: number | undefined;
  private readonly context: vm.Context;
  private readonly modules = new Map<string, { exports: unknown }>();
  private app: Lifecycle | undefined;
  private lastPage: Lifecycle | undefined;
  private current: Record<string, unknown> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pages = new Map<string, Lifecycle>();

  constructor(
    private readonly dist: string,
    private readonly respond: Responder,
  ) {
    const later = (fn: () => void) => setTimeout(fn, 0);
    const done = (o: Options | undefined, result: unknown = {}) =>
      later(() => {
        o?.success?.(result);
        o?.complete?.(result);
      });
    const failed = (o: Options | undefined, error: unknown) =>
      later(() => {
        o?.fail?.(error);
        o?.complete?.(error);
      });
    const known: Record<string, unknown> = {
      getSystemInfoSync: () => ({
        platform: 'devtools',
        model: 'node',
        pixelRatio: 2,
        windowWidth: 375,
        windowHeight: 667,
        screenWidth: 375,
        screenHeight: 667,
        language: 'zh_CN',
        version: '8.0.50',
        SDKVersion: '3.5.0',
      }),
      getAppBaseInfo: () => ({ SDKVersion: '3.5.0', language: 'zh_CN', fontSizeScaleFactor: this.fontScale }),
      getStorageSync: (k: string) => this.storage.get(k) ?? '',
      setStorageSync: (k: string, v: unknown) => void this.storage.set(k, v),
      removeStorageSync: (k: string) => void this.storage.delete(k),
      nextTick: (fn: () => void) => later(fn),
      canIUse: () => true,
      login: (o: Options) => done(o, { code: 'weapp-host-code', errMsg: 'login:ok' }),
      request: (o: Options & { url: string; method?: string }) => {
        const url = new URL(o.url);
        const route = url.pathname.replace(/^\/api\/v1/, '');
        const method = o.method ?? 'GET';
        this.requests.push(`${method} ${route}`);
        const [statusCode, data] = this.respond(method, route);
        done(o, { statusCode, data, header: {}, errMsg: 'request:ok' });
        return { abort: () => undefined };
      },
      // As in WeChat: the task comes back at once, success follows.
      connectSocket: (o: Options & { url: string }) => {
        const socket = new HostSocket(o.url);
        this.sockets.push(socket);
        done(o, { socketTaskId: this.sockets.length, errMsg: 'connectSocket:ok' });
        return socket;
      },
      // As in WeChat (base library ≥ 2.8.2): only a call made during a tap opens the dialog.
      requestSubscribeMessage: (o: Options & { tmplIds: string[] }) => {
        this.subscribeRequests.push({ tmplIds: [...o.tmplIds], inTap: this.inTap });
        if (this.inTap) done(o, { errMsg: 'requestSubscribeMessage:ok', ...Object.fromEntries(o.tmplIds.map((id) => [id, 'accept'])) });
        else failed(o, { errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.', errCode: 10005 });
      },
      onAppShow: (fn: (o: unknown) => void) => void this.appShowListeners.push(fn),
      onAppHide: () => undefined,
    };
    for (const nav of ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab']) {
      known[nav] = (o: Options & { url: string }) => {
        this.navigations.push(`${nav} ${o.url}`);
        done(o);
      };
    }
    // Any other API (toasts, pull-down, selector queries…) succeeds and does nothing; what the
    // bundle itself stores on wx (webpack's chunk list) is left alone.
    const wx = new Proxy(known, {
      get: (target, key: string) =>
        key in target || key === 'webpackJsonp' || typeof key !== 'string'
          ? target[key]
          : (o?: Options | (() => void)) => {
              if (typeof o === 'function') later(o);
              else done(o);
              return {};
            },
    });
    // The bundle's timers (polling, React's scheduler) are tracked so close() can stop them.
    const timers = this.timers;
    this.context = vm.createContext({
      wx,
      console,
      setTimeout: (fn: () => void, ms?: number) => {
        const t = setTimeout(() => {
          timers.delete(t);
          fn();
        }, ms);
        timers.add(t);
        return t;
      },
      clearTimeout: (t: NodeJS.Timeout) => {
        timers.delete(t);
        clearTimeout(t);
      },
      setInterval: (fn: () => void, ms?: number) => {
        const t = setInterval(fn, ms);
        timers.add(t);
        return t;
      },
      clearInterval: (t: NodeJS.Timeout) => {
        timers.delete(t);
        clearInterval(t);
      },
      App: (config: Lifecycle) => (this.app = config),
      Page: (config: Lifecycle) => (this.lastPage = config),
      Component: (config: Lifecycle) => (this.lastPage = config),
      Behavior: (config: unknown) => config,
      getApp: () => this.app,
      getCurrentPages: () => (this.current ? [this.current] : []),
      requirePlugin: () => ({}),
    });
  }

  private load(file: string): unknown {
    const cached = this.modules.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    this.modules.set(file, module);
    const code = readFileSync(file, 'utf8');
    const wrapper = vm.runInContext(`(function (module, exports, require) {${code}\n})`, this.context, { filename: file }) as (
      m: unknown,
      e: unknown,
      r: (p: string) => unknown,
    ) => void;
    const dir = path.dirname(file);
    wrapper(module, module.exports, (p: string) => this.load(path.resolve(dir, p.endsWith('.js') ? p : `${p}.js`)));
    return module.exports;
  }

  /** Stops every timer the bundle started, as WeChat does when the app is destroyed. */
  close(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }

  launch(): void {
    this.load(path.join(this.dist, 'app.js'));
    if (!this.app) throw new Error('app.js did not call App()');
    this.app.onLaunch?.call(this.app, { path: 'pages/home/index', query: {}, scene: 1001 });
    this.app.onShow?.call(this.app, { path: 'pages/home/index', query: {}, scene: 1001 });
  }

  /** Loads a page module as WeChat would and runs onLoad/onShow/onReady with the query. */
  open(route: string, query: Record<string, string> = {}): PageInstance {
    // A page module runs once (as in WeChat); later opens reuse the config it registered.
    if (!this.pages.has(route)) {
      this.lastPage = undefined;
      this.load(path.join(this.dist, `${route}.js`));
      if (!this.lastPage) throw new Error(`${route}.js did not call Page()`);
      this.pages.set(route, this.lastPage);
    }
    const config = this.pages.get(route) as Lifecycle;
    const data: Record<string, unknown> = JSON.parse(JSON.stringify(config.data ?? {}));
    const instance: Record<string, unknown> = {
      ...config,
      route,
      options: query,
      data,
      setData: (patch: Record<string, unknown>, cb?: () => void) => {
        for (const [key, value] of Object.entries(patch)) setPath(data, key, value);
        cb?.();
      },
    };
    this.current = instance;
    const call = (name: string, ...args: unknown[]) => (config[name] as ((...a: unknown[]) => void) | undefined)?.call(instance, ...args);
    call('onLoad', query);
    call('onShow');
    call('onReady');
    return { route, data, text: () => strings(data).join(' '), tap: (label) => this.tap(config, instance, data, label) };
  }

  /**
   * WeChat calls the bound handler (`eh`) of each element from the tapped one up to the root,
   * synchronously, and counts everything those calls start as part of the tap.
   */
  private tap(config: Lifecycle, instance: Record<string, unknown>, data: Record<string, unknown>, label: string): void {
    const path = pathTo(data.root as RenderedNode, label);
    if (!path) throw new Error(`nothing shows "${label}"`);
    const handler = config.eh as ((e: unknown) => unknown) | undefined;
    if (!handler) throw new Error('the page has no event handler');
    const target = path.at(-1)!;
    this.inTap = true;
    try {
      for (const node of [...path].reverse()) {
        if (!node.sid) continue;
        handler.call(instance, {
          type: 'tap',
          timeStamp: Date.now(),
          target: { id: target.sid, dataset: { sid: target.sid } },
          currentTarget: { id: node.sid, dataset: { sid: node.sid } },
          detail: { x: 10, y: 10 },
          touches: [],
          changedTouches: [],
        });
      }
    } finally {
      this.inTap = false;
    }
  }
}
