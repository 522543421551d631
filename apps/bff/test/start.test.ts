import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBff, stop } from './support/bff-process';
import { createMysqlDatabase } from './support/databases';
import { TEST_REDIS_URL } from './support/env';

async function walkAnErrand(baseUrl: string): Promise<string> {
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(baseUrl + url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const login = async (openid: string, role: string) =>
    ((await (await post('/api/v1/auth/dev', { openid, role })).json()) as { token: string }).token;
  const resident = await login('start-resident', 'resident');
  const res = await post(
    '/api/v1/errands',
    { category: 'water', items: [{ name: '桶装水', quantity: 2 }] },
    { authorization: `Bearer ${resident}`, 'idempotency-key': 'start-test-0001' },
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { status: string }).status;
}

describe('npm start', () => {
  it('runs on an embedded SQLite file, seeded, with dev login, when nothing is configured', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-start-'));
    const file = path.join(dir, '.data', 'linli.sqlite');
    const bff = await startBff({ SQLITE_PATH: file });
    try {
      expect(existsSync(file)).toBe(true);
      expect(await (await fetch(`${bff.baseUrl}/readyz`)).json()).toEqual({
        status: 'ok',
        checks: { database: 'ok', redis: 'not_configured' },
      });
      expect(await walkAnErrand(bff.baseUrl)).toBe('offered');
      expect(bff.output()).toMatch(/SQLite/);
      expect(bff.output()).toMatch(/embedded SQLite: one process/);
      expect(bff.output()).not.toMatch(/cluster primary/);
      expect(bff.output()).toMatch(/"level":40,.*DEMO MODE .*Dev login is ON: anyone .* STAFF/);
    } finally {
      await stop(bff);
    }
  });

  it('runs on MySQL and Redis from DATABASE_URL and REDIS_URL, migrating and seeding an empty database', async () => {
    const database = await createMysqlDatabase('start');
    const bff = await startBff({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `linli:test:${database.name}:` });
    try {
      expect(await (await fetch(`${bff.baseUrl}/readyz`)).json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
      expect(await walkAnErrand(bff.baseUrl)).toBe('offered');
      expect(bff.output()).toMatch(/MySQL/);
    } finally {
      await stop(bff);
      await database.drop();
    }
  });

  it('a second start on a port in use says so in one line and exits 1, leaving the first serving', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-start-'));
    const first = await startBff({ SQLITE_PATH: path.join(dir, 'a.sqlite') });
    try {
      const port = new URL(first.baseUrl).port;
      const second = startBff({ SQLITE_PATH: path.join(dir, 'b.sqlite'), PORT: port });
      await expect(second).rejects.toThrow(/exited with 1[\s\S]*Port \d+ on .* is already in use .*PORT=<another port>/);
      await expect(second).rejects.not.toThrow(/at Server\.setupListenHandle/);
      expect((await fetch(`${first.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await stop(first);
    }
  });

  it('refuses to start the production preset with dev login on, naming the key', async () => {
    await expect(
      startBff({
        LINLI_CONFIG: 'production',
        DEV_LOGIN: 'true',
        DATABASE_URL: 'mysql://u@127.0.0.1:1/x',
        REDIS_URL: 'redis://127.0.0.1:1',
        WECHAT_APP_ID: 'wx',
        WECHAT_APP_SECRET: 's',
      }),
    ).rejects.toThrow(/exited with 1[\s\S]*auth\.devLogin \(from DEV_LOGIN\): dev login must be off in production/);
  });
});
