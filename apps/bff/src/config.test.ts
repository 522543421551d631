import { ConfigError, demoModeWarning, loadConfig } from './config';

describe('configuration', () => {
  it('runs on embedded SQLite with dev login when nothing is configured', () => {
    const c = loadConfig({});
    expect(c.preset).toBe('default');
    expect(c.db.url).toBeNull();
    expect(c.db.sqlitePath).toBe('.data/linli.sqlite');
    expect(c.auth.devLogin).toBe(true);
    expect(c.server.port).toBe(3000);
  });

  it('lets environment variables override preset values', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'mysql://root@db:3306/linli',
      REDIS_URL: 'redis://cache:6379',
      DEV_LOGIN: 'false',
    });
    expect(c.server).toMatchObject({ port: 8080, host: '0.0.0.0' });
    expect(c.db.url).toBe('mysql://root@db:3306/linli');
    expect(c.redis.url).toBe('redis://cache:6379');
    expect(c.auth.devLogin).toBe(false);
  });

  it('leaves the desk console QR login off by default, and turns it on only with both website credentials', () => {
    expect(loadConfig({}).wechat.website).toMatchObject({ appId: null, appSecret: null, openBaseUrl: 'https://open.weixin.qq.com' });
    const on = loadConfig({ WECHAT_WEBSITE_APP_ID: 'wxweb', WECHAT_WEBSITE_APP_SECRET: 's', WECHAT_OPEN_BASE_URL: 'http://127.0.0.1:9' });
    expect(on.wechat.website).toMatchObject({ appId: 'wxweb', appSecret: 's', openBaseUrl: 'http://127.0.0.1:9' });
    expect(() => loadConfig({ WECHAT_WEBSITE_APP_ID: 'wxweb' })).toThrow(/wechat\.website\.appSecret: set both/);
  });

  it('picks the preset from LINLI_CONFIG or NODE_ENV', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).preset).toBe('test');
    expect(loadConfig({ LINLI_CONFIG: 'test' }).db.sqlitePath).toBe(':memory:');
    expect(() => loadConfig({ LINLI_CONFIG: 'staging' })).toThrow(/LINLI_CONFIG=staging/);
  });

  it.each([
    [{ PORT: 'eighty' }, /server\.port \(from PORT\)/],
    // In English beside English keys, though @linli/contracts makes zod's fallback Chinese for people.
    [{ PORT: '70000' }, /server\.port \(from PORT\): Too big/],
    [{ DATABASE_URL: 'postgres://x' }, /db\.url \(from DATABASE_URL\): must be a mysql:\/\/ URL/],
    [{ LOG_LEVEL: 'loud' }, /log\.level/],
    [{ DEV_LOGIN: 'maybe' }, /DEV_LOGIN="maybe" must be true or false/],
  ])('stops on a bad value and names the key: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  describe('production preset', () => {
    const prod = {
      LINLI_CONFIG: 'production',
      DATABASE_URL: 'mysql://u:p@db/linli',
      REDIS_URL: 'redis://cache:6379',
      WECHAT_APP_ID: 'wx1',
      WECHAT_APP_SECRET: 's',
      METRICS_TOKEN: 'scrape-token-0123456789abcdef',
    };

    it('starts with MySQL, Redis and WeChat credentials, dev login off', () => {
      const c = loadConfig(prod);
      expect(c.auth.devLogin).toBe(false);
      expect(c.seed.demoCommunity).toBe(false);
    });

    it('refuses to start with dev login on', () => {
      expect(() => loadConfig({ ...prod, DEV_LOGIN: 'true' })).toThrow(
        /auth\.devLogin \(from DEV_LOGIN\): dev login must be off in production/,
      );
    });

    it('refuses to start without MySQL or Redis', () => {
      expect(() => loadConfig({ ...prod, DATABASE_URL: '' })).toThrow(/db\.url: production needs MySQL/);
      expect(() => loadConfig({ ...prod, REDIS_URL: '' })).toThrow(/redis\.url: production needs Redis/);
    });

    it('refuses to start with /metrics open, unless metrics are off', () => {
      expect(() => loadConfig({ ...prod, METRICS_TOKEN: '' })).toThrow(/metrics\.token: production needs METRICS_TOKEN/);
      expect(loadConfig({ ...prod, METRICS_TOKEN: '' }, { metrics: { enabled: false } }).metrics.enabled).toBe(false);
    });

    it('serves no API docs unless they are turned on', () => {
      expect(loadConfig(prod).docs.enabled).toBe(false);
      expect(loadConfig({ ...prod, DOCS_ENABLED: 'true' }).docs.enabled).toBe(true);
    });

    it('believes X-Forwarded-For only from the listed proxies, never from anyone', () => {
      expect(loadConfig(prod).server.trustProxy).toBe(false);
      expect(loadConfig({ ...prod, TRUST_PROXY: '10.0.0.1, 10.0.0.2,172.16.0.0/12' }).server.trustProxy).toEqual([
        '10.0.0.1',
        '10.0.0.2',
        '172.16.0.0/12',
      ]);
      expect(() => loadConfig(prod, { server: { trustProxy: true } })).toThrow(/server\.trustProxy: trust only your proxies/);
      expect(() => loadConfig({ ...prod, TRUST_PROXY: '10.0.0.1,proxy.local' })).toThrow(
        /server\.trustProxy\.1.*must be an IP address or CIDR/,
      );
      expect(() => loadConfig({ ...prod, TRUST_PROXY: '10.0.0.0/33' })).toThrow(/must be an IP address or CIDR/);
    });

    it('says nothing about demo mode', () => {
      expect(demoModeWarning(loadConfig(prod))).toBeNull();
    });
  });

  it('says loudly that the default preset is a demo where anyone can log in as staff', () => {
    expect(demoModeWarning(loadConfig({}))).toMatch(/^DEMO MODE .*Dev login is ON.*STAFF/);
    expect(demoModeWarning(loadConfig({ DEV_LOGIN: 'false' }))).toMatch(/^DEMO MODE/);
  });
});
