import { routes, type LoginResponse, type Role, type WebsiteLoginOption } from '@linli/contracts';
import { callRoute } from './client';
import { ApiError } from './errors';
import { clearSession, saveSession } from './session';

export const fetchAuthOptions = () => callRoute(routes.authOptions);
export const fetchMe = () => callRoute(routes.me);

export async function devLogin(openid: string, role: Role): Promise<LoginResponse> {
  const session = await callRoute(routes.loginDev, { body: { openid, role } });
  saveSession(session);
  return session;
}

/** Where WeChat sends the browser back after the QR scan (a console route: pages/login/callback.tsx). */
export const websiteCallbackUrl = () => `${window.location.origin}/console/login/callback`;
/** Leaves the console for WeChat's QR page (its own function so tests can see where it would go). */
export const browser = { leaveFor: (url: string) => window.location.assign(url) };
const STATE_KEY = 'linli.console.websiteState';

/**
 * WeChat's QR page for this browser: the BFF signs the state, and the browser keeps a copy so the
 * callback only accepts the state this very tab sent out.
 */
export async function websiteAuthorizeUrl(option: WebsiteLoginOption): Promise<string> {
  const { state } = await callRoute(routes.websiteLoginState);
  sessionStorage.setItem(STATE_KEY, state);
  const url = new URL(option.authorizeUrl);
  url.search = new URLSearchParams({
    appid: option.appId,
    redirect_uri: websiteCallbackUrl(),
    response_type: 'code',
    scope: 'snsapi_login',
    state,
  }).toString();
  url.hash = 'wechat_redirect';
  return url.toString();
}

/** The callbacks already sent from this page, by code and state, with what each came to. */
const callbacks = new Map<string, Promise<LoginResponse>>();

/**
 * The callback's code and state to a session; a state this tab did not send out is refused before
 * asking the BFF. Single-flight: the BFF takes a state once, so the callback page mounted a second
 * time for the same redirect (a remount, React's double effects) shares the first request and its
 * answer instead of sending another, which would be refused and show an error over a good login.
 */
export function websiteLogin(code: string, state: string): Promise<LoginResponse> {
  const key = `${code}\n${state}`;
  const earlier = callbacks.get(key);
  if (earlier) return earlier;
  const sending = (async () => {
    const sent = sessionStorage.getItem(STATE_KEY);
    sessionStorage.removeItem(STATE_KEY);
    if (!sent || sent !== state) throw new ApiError(400, 'WEBSITE_STATE_MISMATCH', '登录状态不匹配，请返回登录页重新扫码');
    const session = await callRoute(routes.loginWithWebsite, { body: { code, state } });
    saveSession(session);
    return session;
  })();
  callbacks.set(key, sending);
  return sending;
}

export async function logout(): Promise<void> {
  callbacks.clear();
  try {
    await callRoute(routes.logout);
  } finally {
    clearSession();
  }
}
