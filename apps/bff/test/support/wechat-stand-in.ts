import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the WeChat server API, speaking code2Session's documented shapes
 * (see shared/design/wechat-api.md). Codes drive its answers:
 *   ok-<openid>   → {openid, session_key}; a code works once (then 40163), like WeChat's
 *   invalid       → 40029        limited → 45011        risky → 40226
 *   busy-once-<openid> → -1 the first time, then success
 *   busy          → -1 always     http500 → HTTP 500
 */
export interface WechatStandIn {
  baseUrl: string;
  appId: string;
  secret: string;
  /** Every session_key handed out, so tests can check none of them leaks. */
  sessionKeys: string[];
  requests: URL[];
  close(): Promise<void>;
}

export async function startWechatStandIn(appId = 'wx-test-appid', secret = 'test-secret'): Promise<WechatStandIn> {
  const used = new Set<string>();
  const busySeen = new Set<string>();
  const sessionKeys: string[] = [];
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(url);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/sns/jscode2session') return reply(404, { errcode: 404, errmsg: 'not found' });
    const q = url.searchParams;
    if (q.get('appid') !== appId || q.get('secret') !== secret) return reply(200, { errcode: 40013, errmsg: 'invalid appid' });
    if (q.get('grant_type') !== 'authorization_code') return reply(200, { errcode: 40002, errmsg: 'invalid grant_type' });
    const code = q.get('js_code') ?? '';
    if (code === 'http500') return reply(500, 'oops');
    if (code === 'invalid') return reply(200, { errcode: 40029, errmsg: 'invalid code' });
    if (code === 'limited') return reply(200, { errcode: 45011, errmsg: 'api minute-quota reach limit' });
    if (code === 'risky') return reply(200, { errcode: 40226, errmsg: 'high risk user' });
    if (code === 'busy') return reply(200, { errcode: -1, errmsg: 'system error' });
    if (code.startsWith('busy-once-') && !busySeen.has(code)) {
      busySeen.add(code);
      return reply(200, { errcode: -1, errmsg: 'system error' });
    }
    const openid = code.replace(/^(ok|busy-once)-/, '');
    if (openid === code) return reply(200, { errcode: 40029, errmsg: 'invalid code' });
    if (used.has(code)) return reply(200, { errcode: 40163, errmsg: 'code been used' });
    used.add(code);
    const sessionKey = `SK${Math.random().toString(36).slice(2)}${Date.now().toString(36)}==`;
    sessionKeys.push(sessionKey);
    return reply(200, { openid: `o${openid}`, session_key: sessionKey });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    appId,
    secret,
    sessionKeys,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
