import { loadConfig, type Config } from '../src/config';
import type { Database } from '../src/infra/db/database';
import { openDatabase } from '../src/infra/db/orm';
import { WechatAccessTokens, WechatTokenError } from '../src/infra/wechat/access-token';
import { createMysqlDatabase, type TestDatabase } from './support/databases';
import { startWechatStandIn, type WechatStandIn } from './support/wechat-stand-in';

describe('WeChat access token', () => {
  let database: TestDatabase;
  let config: Config;
  // Two instances of the BFF: each its own connection pool on the same database.
  let first: Database;
  let second: Database;
  let wechat: WechatStandIn;
  let offset = 0;
  const now = () => Date.now() + offset;
  const tokens = (db: Database, overrides: Partial<Config['wechat']> = {}) =>
    new WechatAccessTokens(db, { ...config.wechat, apiBaseUrl: wechat.baseUrl, ...overrides }, now);

  beforeAll(async () => {
    database = await createMysqlDatabase('wechat_token');
    config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: database.url } });
    first = await openDatabase(config);
    second = await openDatabase(config);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    offset = 0;
    wechat = await startWechatStandIn(config.wechat.appId!, config.wechat.appSecret!);
    await first.run('DELETE FROM wechat_access_tokens');
  });
  afterEach(() => wechat.close());

  it('asks WeChat once, then answers from memory', async () => {
    const client = tokens(first);
    const token = await client.get();
    const requestsAfterFirst = wechat.requests.length;
    expect(await client.get()).toBe(token);
    expect(wechat.requests).toHaveLength(requestsAfterFirst);
    expect(wechat.tokenRequests).toEqual([{ path: '/cgi-bin/stable_token', forceRefresh: false }]);
  });

  it('lets another instance use the stored token without asking WeChat', async () => {
    const token = await tokens(first).get();
    expect(await tokens(second).get()).toBe(token);
    expect(wechat.tokenRequests).toHaveLength(1);
  });

  it('refreshes the configured margin before the token expires', async () => {
    const client = tokens(first);
    await client.get();
    const lifeMs = wechat.settings.tokenTtlSeconds * 1000;
    const marginMs = config.wechat.tokenRefreshMarginSeconds * 1000;
    offset = lifeMs - marginMs - 1000;
    await client.get();
    expect(wechat.tokenRequests).toHaveLength(1);
    offset = lifeMs - marginMs + 1000;
    await client.get();
    expect(wechat.tokenRequests).toHaveLength(2);
    const row = await first.one<{ expires_at: unknown }>('SELECT expires_at FROM wechat_access_tokens');
    expect(Number(row!.expires_at)).toBeGreaterThan(now() + lifeMs - 60_000);
  });

  it('makes one token request when two instances find the token expired at once', async () => {
    const a = tokens(first);
    const b = tokens(second);
    await a.get();
    await b.get();
    offset = wechat.settings.tokenTtlSeconds * 1000; // both hold it in memory, both see it expire
    wechat.settings.tokenDelayMs = 150; // WeChat slow: the second instance arrives mid-refresh
    const got = await Promise.all([a.get(), b.get(), a.get(), b.get(), tokens(second).get()]);
    expect(wechat.tokenRequests).toHaveLength(2);
    expect(new Set(got).size).toBe(1);
  });

  it('replaces a token WeChat calls expired once, however many instances report it', async () => {
    const a = tokens(first);
    const b = tokens(second);
    const old = await a.get();
    await b.get();
    wechat.expireToken(old);
    await a.invalidate(old);
    const fresh = await a.get();
    expect(fresh).not.toBe(old);
    // B learns late that the old token is bad: it must not throw away the new one.
    await b.invalidate(old);
    expect(await b.get()).toBe(fresh);
    expect(await a.get()).toBe(fresh);
    expect(wechat.tokenRequests).toHaveLength(2);
  });

  it('forces a new token when WeChat keeps handing out the one it refuses', async () => {
    const client = tokens(first);
    const bad = await client.get();
    wechat.revokeToken(bad);
    await client.invalidate(bad);
    const fresh = await client.get();
    expect(fresh).not.toBe(bad);
    expect(wechat.tokenRequests.map((r) => r.forceRefresh)).toEqual([false, false, true]);
  });

  it('fails with the reason, never the secret, and recovers with WeChat', async () => {
    wechat.fail(503);
    const attempt = tokens(first).get();
    await expect(attempt).rejects.toThrow(WechatTokenError);
    await expect(attempt).rejects.toThrow('HTTP 503');
    wechat.recover();
    expect(await tokens(first).get()).toBe(wechat.currentToken());

    const wrong = tokens(second, { appSecret: 'not-the-secret' });
    await first.run('UPDATE wechat_access_tokens SET expires_at = 0');
    const refused = await wrong.get().catch((err: WechatTokenError) => err);
    expect(refused).toBeInstanceOf(WechatTokenError);
    expect((refused as WechatTokenError).errcode).toBe(40125);
    expect(String((refused as Error).message)).not.toContain('not-the-secret');
  });
});

describe('WeChat access token on embedded SQLite', () => {
  it('is fetched once, shared by concurrent callers, and replaced when WeChat calls it expired', async () => {
    const wechat = await startWechatStandIn();
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { wechat: { apiBaseUrl: wechat.baseUrl } });
    const db = await openDatabase(config);
    try {
      const client = new WechatAccessTokens(db, config.wechat);
      wechat.settings.tokenDelayMs = 50;
      const [a, b] = await Promise.all([client.get(), client.get()]);
      expect(a).toBe(b);
      wechat.expireToken(a);
      await client.invalidate(a);
      const fresh = await client.get();
      expect(fresh).not.toBe(a);
      expect(await new WechatAccessTokens(db, config.wechat).get()).toBe(fresh);
      expect(wechat.tokenRequests).toHaveLength(2);
    } finally {
      await db.close();
      await wechat.close();
    }
  });
});
