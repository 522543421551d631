import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';

describe('serving the h5 client', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'h5-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>邻里红色代办</title>');
    writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
    app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { server: { staticDir: dir } }) });
  });
  afterAll(() => app.close());

  it('serves index.html at / and the built files beside it', async () => {
    const home = await app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('邻里红色代办');
    expect((await app.inject({ url: '/app.js' })).body).toBe('console.log(1)');
  });

  it("falls back to index.html for the client's own routes, but not for the API", async () => {
    expect((await app.inject({ url: '/pages/errand/index?id=1' })).body).toContain('邻里红色代办');
    const api = await app.inject({ url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ url: '/missing.js' })).statusCode).toBe(404);
  });

  it('serves only the API when the client is not built', async () => {
    const bare = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { server: { staticDir: '/nonexistent/h5' } }) });
    try {
      expect((await bare.inject({ url: '/' })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
