import { z } from 'zod';
import { routes } from '@linli/contracts';
import { call, callRoute, onUnauthorized, urlOf } from './client';
import { ApiError } from './errors';
import { loadSession, saveSession } from './session';

const session = {
  token: 't'.repeat(40),
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 1, name: '张敏', roles: ['resident', 'staff'], phone: null, communityId: 1, household: null, helper: null, community: null },
} as const;

function respond(status: number, body: unknown) {
  const fetchMock = jest.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

beforeEach(() => {
  localStorage.clear();
  saveSession({ ...session, user: { ...session.user, roles: [...session.user.roles] } });
});

describe('api client', () => {
  it('sends the bearer token and parses the answer with the contract schema', async () => {
    const fetchMock = respond(200, { n: 3 });
    await expect(call('/x', z.object({ n: z.number() }), { query: { a: 1, b: undefined } })).resolves.toEqual({ n: 3 });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/x?a=1');
    expect((init.headers as Record<string, string>).authorization).toBe(`Bearer ${session.token}`);
  });

  it('keeps the server’s Chinese message and falls back to one that says what to do', async () => {
    respond(409, { error: { code: 'ERRAND_TAKEN', message: 'taken' } });
    await expect(call('/x', z.unknown())).rejects.toMatchObject({ status: 409, message: expect.stringContaining('请刷新值班台') });
    respond(400, { error: { code: 'VALIDATION', message: '请填写单元', fields: [{ path: 'unit', message: '请填写单元' }] } });
    await expect(call('/x', z.unknown())).rejects.toMatchObject({
      message: '请填写单元',
      fields: [{ path: 'unit', message: '请填写单元' }],
    });
    respond(503, { error: { code: 'X', message: 'down' } });
    await expect(call('/x', z.unknown())).rejects.toMatchObject({ message: expect.stringContaining('稍后重试') });
  });

  it('reports a network failure and a malformed answer in Chinese', async () => {
    globalThis.fetch = jest.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(call('/x', z.unknown())).rejects.toMatchObject({ status: 0, message: expect.stringContaining('检查网络') });
    respond(200, { n: 'three' });
    const failure = call('/x', z.object({ n: z.number() }));
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('drops the session and hands over to the login page on 401', async () => {
    const handler = jest.fn();
    onUnauthorized(handler);
    respond(401, { error: { code: 'UNAUTHORIZED', message: 'no' } });
    await expect(call('/x', z.unknown())).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(loadSession()).toBeNull();
  });

  it('takes a 401 from a login route as a refused login, not an ended session: the server’s message, no hand-over', async () => {
    const handler = jest.fn();
    onUnauthorized(handler);
    respond(401, { error: { code: 'WECHAT_CODE_INVALID', message: '微信登录凭证无效或已过期，请重新登录' } });
    await expect(callRoute(routes.loginWithWebsite, { body: { code: 'web-x', state: 'a.b.c' } })).rejects.toMatchObject({
      status: 401,
      code: 'WECHAT_CODE_INVALID',
      message: '微信登录凭证无效或已过期，请重新登录',
    });
    expect(handler).not.toHaveBeenCalled();
    expect(loadSession()?.token).toBe(session.token);
  });

  it('builds query strings without empty values', () => {
    expect(urlOf('/staff/queue', { q: '3-2-301', tier: '', limit: 50 })).toBe('/api/v1/staff/queue?q=3-2-301&limit=50');
  });
});
