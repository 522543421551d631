import Taro from '@tarojs/taro';
import { routes } from '@linli/contracts';
import { loadSession } from '../api/session';
import { inWechat } from '../platform';
import { connectWithBrowser, connectWithTaro } from './connection';
import { SharedSocketUpdates } from './shared-socket';
import type { LiveUpdates } from './updates';

/**
 * The live channel's address: the API's host with ws(s):// for http(s)://. An empty API base (the
 * h5 build served by the BFF itself) means the page's own origin.
 */
export function liveSocketUrl(apiBase: string, pageOrigin: string = typeof location === 'undefined' ? '' : location.origin): string {
  const origin = (apiBase || pageOrigin).replace(/\/+$/, '');
  return `${origin.replace(/^http(s?):\/\//, 'ws$1://')}${routes.live.path}`;
}

const shared = new SharedSocketUpdates({
  url: () => liveSocketUrl(LINLI_API_BASE),
  token: () => loadSession()?.token,
  connect: inWechat() ? connectWithTaro : connectWithBrowser,
});

// WeChat kills a hidden mini-program's sockets within seconds: come back on a fresh line at once.
// (In the browser Taro maps these to visibilitychange.)
Taro.onAppHide?.(() => shared.hidden());
Taro.onAppShow?.(() => shared.shown());

/** The app's one live-update channel: a shared WebSocket, with polling while it is not live. */
export const liveUpdates: LiveUpdates = shared;
export type { LiveUpdates, Topic } from './updates';
