import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage, type ReceivedMessage } from './wechat-stand-in-messages';

export type { ReceivedMessage } from './wechat-stand-in-messages';

/**
 * A local stand-in for the WeChat server API, speaking the documented shapes (see
 * shared/design/wechat-api.md).
 *
 * code2Session: codes drive its answers:
 *   ok-<openid>   → {openid, session_key}; a code works once (then 40163), like WeChat's
 *   invalid       → 40029        limited → 45011        risky → 40226
 *   busy-once-<openid> → -1 the first time, then success
 *   busy          → -1 always     http500 → HTTP 500
 *
 * Access tokens: `POST /cgi-bin/stable_token` hands out the current token while it is good (a new
 * one with force_refresh, which makes the old one invalid); `GET /cgi-bin/token` always a new one.
 * Website QR login (网站应用微信登录): `GET /sns/oauth2/access_token` takes codes `web-<person>` (once,
 * then 40163), `invalid` (40029), `busy` (-1 always), `busy-once-web-<person>`; it answers the website
 * openid `w<person>`. `GET /connect/qrconnect` stands in for the QR page: it redirects straight back
 * to redirect_uri with a code for `settings.qrPerson` and the state, as if that person had scanned.
 * A person given a unionid (setUnionid) gets it from both code2Session and the website exchange.
 *
 * subscribeMessage.send checks the token (unknown or revoked 40001, expired 42001) and the body
 * (see wechat-stand-in-messages.ts), and records what it accepted. Controls below make it fail.
 */
export interface WechatStandIn {
  baseUrl: string;
  appId: string;
  secret: string;
  /** Every session_key handed out, so tests can check none of them leaks. */
  sessionKeys: string[];
  requests: URL[];
  /** Every token request, in order. */
  tokenRequests: { path: string; forceRefresh: boolean }[];
  /** Every subscribe message accepted (errcode 0), in order. */
  messages: ReceivedMessage[];
  /** The answer to every send request: its errcode, or its HTTP status when that was not 200. */
  sendAnswers: number[];
  /** Token lifetime it announces; delays that widen races between callers. */
  settings: { tokenTtlSeconds: number; tokenDelayMs: number; sendDelayMs: number; qrPerson: string };
  /** The token stable_token would hand out now, if any. */
  currentToken(): string | null;
  addTemplate(id: string, keys: string[]): void;
  /** The mini-program's pages: a message opening any other page gets 41030. */
  setPages(pages: string[]): void;
  /** The next `count` /cgi-bin calls answer HTTP `answer` (≥ 500) or errcode `answer` (e.g. -1, 43108). */
  fail(answer: number, count?: number): void;
  recover(): void;
  /** WeChat says 42001 for this token from now on, and stable_token hands out a new one. */
  expireToken(token: string): void;
  /** WeChat says 40001 for this token, yet stable_token keeps handing it out until force_refresh. */
  revokeToken(token: string): void;
  /** These users have not subscribed: 43101. */
  refuse(openid: string): void;
  close(): Promise<void>;
  /** This person (the part after ok- / web-) has this unionid in both apps. */
  setUnionid(person: string, unionid: string): void;
}

type TokenState = 'valid' | 'expired' | 'revoked';

/** The website app's credentials the stand-in accepts (a separate app from the mini-program's). */
export const WEBSITE_APP = { appId: 'wx-test-website', secret: 'test-website-secret' } as const;
const websiteAppId = WEBSITE_APP.appId;
const websiteSecret = WEBSITE_APP.secret;

export async function startWechatStandIn(appId = 'wx-test-appid', secret = 'test-secret'): Promise<WechatStandIn> {
  const used = new Set<string>();
  const busySeen = new Set<string>();
  const sessionKeys: string[] = [];
  const requests: URL[] = [];
  const tokenRequests: WechatStandIn['tokenRequests'] = [];
  const messages: ReceivedMessage[] = [];
  const sendAnswers: number[] = [];
  const settings = { tokenTtlSeconds: 7200, tokenDelayMs: 0, sendDelayMs: 0, qrPerson: 'desk' };
  const unionids = new Map<string, string>();
  const tokens = new Map<string, TokenState>();
  const templates = new Map<string, string[]>();
  const refused = new Set<string>();
  let pages: string[] = [];
  let current: string | null = null;
  let outage: { answer: number; remaining: number } | null = null;
  let issued = 0;
  let qrIssued = 0;

  const issueToken = () => {
    if (current && tokens.get(current) !== 'expired') tokens.set(current, 'revoked');
    current = `AT${++issued}_${Math.random().toString(36).slice(2)}`;
    tokens.set(current, 'valid');
    return current;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(url);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = undefined;
      }
      if (url.pathname === '/sns/jscode2session') return reply(...code2Session(url.searchParams));
      if (url.pathname === '/sns/oauth2/access_token') return reply(...websiteAccessToken(url.searchParams));
      if (url.pathname === '/connect/qrconnect') return qrConnect(url.searchParams, res);
      if (!url.pathname.startsWith('/cgi-bin/')) return reply(404, { errcode: 404, errmsg: 'not found' });
      const isSend = url.pathname === '/cgi-bin/message/subscribe/send';
      const isToken = url.pathname === '/cgi-bin/stable_token' || url.pathname === '/cgi-bin/token';
      const q = url.pathname === '/cgi-bin/token' ? Object.fromEntries(url.searchParams) : ((body ?? {}) as Record<string, unknown>);
      const forceRefresh = q.force_refresh === true;
      if (isToken) tokenRequests.push({ path: url.pathname, forceRefresh });
      if (outage && outage.remaining > 0) {
        outage.remaining--;
        const { answer } = outage;
        if (isSend) sendAnswers.push(answer);
        return answer >= 500 ? reply(answer, 'unavailable') : reply(200, { errcode: answer, errmsg: 'system error' });
      }
      if (isToken) {
        const answer = () => {
          if (q.grant_type !== 'client_credential') return reply(200, { errcode: 40002, errmsg: 'invalid grant_type' });
          if (q.appid !== appId) return reply(200, { errcode: 40013, errmsg: 'invalid appid' });
          if (q.secret !== secret) return reply(200, { errcode: 40125, errmsg: 'invalid appsecret' });
          const keep = url.pathname === '/cgi-bin/stable_token' && !forceRefresh && current && tokens.get(current) !== 'expired';
          return reply(200, { access_token: keep ? current : issueToken(), expires_in: settings.tokenTtlSeconds });
        };
        return settings.tokenDelayMs > 0 ? void setTimeout(answer, settings.tokenDelayMs) : answer();
      }
      if (isSend) {
        const answer = (errcode: number, errmsg: string) => {
          sendAnswers.push(errcode);
          const send = () => reply(200, { errcode, errmsg });
          return settings.sendDelayMs > 0 ? void setTimeout(send, settings.sendDelayMs) : send();
        };
        const state = tokens.get(url.searchParams.get('access_token') ?? '');
        if (state === 'expired') return answer(42001, 'access_token expired');
        if (state !== 'valid') return answer(40001, 'invalid credential, access_token is invalid or not latest');
        if (body === undefined) return answer(47001, 'data format error');
        const check = checkMessage(body, { templates, pages });
        if (check.errcode !== 0) return answer(check.errcode, check.errmsg);
        if (refused.has((body as ReceivedMessage).touser)) return answer(43101, 'user refuse to accept the msg');
        messages.push(body as ReceivedMessage);
        return answer(0, 'ok');
      }
      return reply(404, { errcode: 404, errmsg: 'not found' });
    });
  });

  function code2Session(q: URLSearchParams): [number, unknown] {
    if (q.get('appid') !== appId || q.get('secret') !== secret) return [200, { errcode: 40013, errmsg: 'invalid appid' }];
    if (q.get('grant_type') !== 'authorization_code') return [200, { errcode: 40002, errmsg: 'invalid grant_type' }];
    const code = q.get('js_code') ?? '';
    if (code === 'http500') return [500, 'oops'];
    if (code === 'invalid') return [200, { errcode: 40029, errmsg: 'invalid code' }];
    if (code === 'limited') return [200, { errcode: 45011, errmsg: 'api minute-quota reach limit' }];
    if (code === 'risky') return [200, { errcode: 40226, errmsg: 'high risk user' }];
    if (code === 'busy') return [200, { errcode: -1, errmsg: 'system error' }];
    if (code.startsWith('busy-once-') && !busySeen.has(code)) {
      busySeen.add(code);
      return [200, { errcode: -1, errmsg: 'system error' }];
    }
    const openid = code.replace(/^(ok|busy-once)-/, '');
    if (openid === code) return [200, { errcode: 40029, errmsg: 'invalid code' }];
    if (used.has(code)) return [200, { errcode: 40163, errmsg: 'code been used' }];
    used.add(code);
    const sessionKey = `SK${Math.random().toString(36).slice(2)}${Date.now().toString(36)}==`;
    sessionKeys.push(sessionKey);
    const unionid = unionids.get(openid);
    return [200, { openid: `o${openid}`, session_key: sessionKey, ...(unionid ? { unionid } : {}) }];
  }

  function websiteAccessToken(q: URLSearchParams): [number, unknown] {
    if (q.get('appid') !== websiteAppId || q.get('secret') !== websiteSecret) return [200, { errcode: 40013, errmsg: 'invalid appid' }];
    if (q.get('grant_type') !== 'authorization_code') return [200, { errcode: 40002, errmsg: 'invalid grant_type' }];
    const code = q.get('code') ?? '';
    if (code === 'busy') return [200, { errcode: -1, errmsg: 'system error' }];
    if (code.startsWith('busy-once-') && !busySeen.has(code)) {
      busySeen.add(code);
      return [200, { errcode: -1, errmsg: 'system error' }];
    }
    // `~n` tells apart codes the fake QR page issued for one person.
    const person = code.replace(/^(busy-once-)?web-/, '').replace(/~\d+$/, '');
    if (person === code || !person) return [200, { errcode: 40029, errmsg: 'invalid code' }];
    if (used.has(code)) return [200, { errcode: 40163, errmsg: 'code been used' }];
    used.add(code);
    const unionid = unionids.get(person);
    const token = `WAT${Math.random().toString(36).slice(2)}`;
    return [
      200,
      {
        access_token: token,
        expires_in: 7200,
        refresh_token: `R${token}`,
        openid: `w${person}`,
        scope: 'snsapi_login',
        ...(unionid ? { unionid } : {}),
      },
    ];
  }

  /** The QR page as if settings.qrPerson had scanned and confirmed at once: back to the site with a fresh code. */
  function qrConnect(q: URLSearchParams, res: http.ServerResponse): void {
    const redirect = q.get('redirect_uri');
    if (q.get('appid') !== websiteAppId || !redirect || q.get('response_type') !== 'code' || q.get('scope') !== 'snsapi_login') {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad qrconnect request');
      return;
    }
    const back = new URL(redirect);
    back.searchParams.set('code', `web-${settings.qrPerson}~${++qrIssued}`);
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    appId,
    secret,
    sessionKeys,
    requests,
    tokenRequests,
    messages,
    sendAnswers,
    settings,
    currentToken: () => current,
    addTemplate: (id, keys) => void templates.set(id, keys),
    setPages: (list) => void (pages = list),
    fail: (answer, count = Number.POSITIVE_INFINITY) => void (outage = { answer, remaining: count }),
    recover: () => void (outage = null),
    expireToken: (token) => void tokens.set(token, 'expired'),
    revokeToken: (token) => void tokens.set(token, 'revoked'),
    refuse: (openid) => void refused.add(openid),
    close: () => new Promise((resolve) => server.close(() => resolve())),
    setUnionid: (person, unionid) => void unionids.set(person, unionid),
  };
}
