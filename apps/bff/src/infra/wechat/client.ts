import { AppError, badGateway, forbidden, tooManyRequests, unauthorized, unavailable } from '../../errors';

export interface WechatConfig {
  apiBaseUrl: string;
  appId: string | null;
  appSecret: string | null;
  timeoutMs: number;
}

export interface WechatSession {
  openid: string;
  unionid?: string;
  /** Needed only to decrypt legacy payloads; never leaves the BFF, never logged or stored. */
  sessionKey: string;
}

interface WechatReply {
  errcode?: number;
  errmsg?: string;
  openid?: string;
  session_key?: string;
  unionid?: string;
}

const BUSY = -1;

/** Maps WeChat's documented error codes to what our clients should see. */
export function wechatErrorToAppError(errcode: number, errmsg = ''): AppError {
  switch (errcode) {
    case 40029: // invalid code
    case 40163: // code already used
      return unauthorized('微信登录凭证无效或已过期，请重新登录', 'WECHAT_CODE_INVALID');
    case 45011:
      return tooManyRequests('登录太频繁，请一分钟后再试', 'WECHAT_RATE_LIMITED');
    case 40226:
      return forbidden('微信账号存在风险，暂时无法登录', 'WECHAT_USER_BLOCKED');
    case BUSY:
      return unavailable('WECHAT_BUSY', '微信服务繁忙，请稍后再试');
    default:
      return badGateway('WECHAT_ERROR', `微信服务返回错误 ${errcode}${errmsg ? `: ${errmsg}` : ''}`);
  }
}

/** The WeChat server API, at a configurable base URL (tests point it at a local stand-in). */
export class WechatClient {
  constructor(private readonly config: WechatConfig) {}

  async code2Session(code: string): Promise<WechatSession> {
    const { appId, appSecret } = this.config;
    if (!appId || !appSecret) throw unavailable('WECHAT_NOT_CONFIGURED', '微信登录尚未配置');
    const url = new URL('/sns/jscode2session', this.config.apiBaseUrl);
    url.search = new URLSearchParams({ appid: appId, secret: appSecret, js_code: code, grant_type: 'authorization_code' }).toString();
    const reply = await wechatGet<WechatReply>(url, this.config.timeoutMs);
    if (!reply.openid || !reply.session_key) throw badGateway('WECHAT_ERROR', '微信服务返回内容不完整');
    return { openid: reply.openid, unionid: reply.unionid, sessionKey: reply.session_key };
  }
}

/**
 * A GET of WeChat's server API answered with JSON: unreachable and unreadable replies become our
 * errors, -1 ("system busy, retry") gets one quick retry, any other errcode its mapped error.
 */
export async function wechatGet<T extends { errcode?: number; errmsg?: string }>(url: URL, timeoutMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const reply = await getJson<T>(url, timeoutMs);
    if (reply.errcode === BUSY && attempt === 0) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (reply.errcode) throw wechatErrorToAppError(reply.errcode, reply.errmsg);
    return reply;
  }
}

async function getJson<T>(url: URL, timeoutMs: number): Promise<T> {
  const answer = await requestWechatJson<T>(url, timeoutMs);
  if ('reply' in answer) return answer.reply;
  if (answer.failure === 'unreachable') throw unavailable('WECHAT_UNREACHABLE', '暂时无法连接微信服务，请稍后再试');
  throw badGateway('WECHAT_ERROR', '微信服务返回内容无法解析');
}

/** A call to WeChat's server API before its errcode is read: the JSON reply, or why there is none. */
export type WechatAnswer<T> = { reply: T } | { failure: 'unreachable' | 'unreadable'; detail: string };

/**
 * One call to WeChat's server API (a GET, or a POST of `body` as JSON), read as JSON. It never
 * throws, and its `detail` never names the URL, which may hold an access token.
 */
export async function requestWechatJson<T>(url: URL, timeoutMs: number, body?: unknown): Promise<WechatAnswer<T>> {
  let res: Response;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    res = await fetch(
      url,
      body === undefined
        ? { signal }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal },
    );
  } catch {
    return { failure: 'unreachable', detail: 'network error or timeout' };
  }
  if (!res.ok) return { failure: 'unreachable', detail: `HTTP ${res.status}` };
  try {
    return { reply: (await res.json()) as T };
  } catch {
    return { failure: 'unreadable', detail: 'reply is not JSON' };
  }
}
