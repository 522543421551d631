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

describe('serving the desk console at /console', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const h5 = mkdtempSync(path.join(tmpdir(), 'h5-'));
    writeFileSync(path.join(h5, 'index.html'), '<!doctype html><title>邻里红色代办</title>');
    const desk = mkdtempSync(path.join(tmpdir(), 'console-'));
    writeFileSync(path.join(desk, 'index.html'), '<!doctype html><title>邻里社区工作台</title>');
    writeFileSync(path.join(desk, 'desk.js'), 'console.log(2)');
    app = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { server: { staticDir: h5, consoleDir: desk } }) });
  });
  afterAll(() => app.close());

  it('serves the console and its files under /console/ beside the h5 client', async () => {
    expect((await app.inject({ url: '/console/' })).body).toContain('邻里社区工作台');
    expect((await app.inject({ url: '/console/desk.js' })).body).toBe('console.log(2)');
    expect((await app.inject({ url: '/' })).body).toContain('邻里红色代办');
    const bare = await app.inject({ url: '/console' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/console/');
  });

  it("falls back to the console's index.html for its own routes, and the h5 one elsewhere", async () => {
    expect((await app.inject({ url: '/console/board?tier=red' })).body).toContain('邻里社区工作台');
    expect((await app.inject({ url: '/pages/errand/index' })).body).toContain('邻里红色代办');
    expect((await app.inject({ url: '/console/missing.js' })).statusCode).toBe(404);
  });

  it('serves the console alone when the h5 client is not built', async () => {
    const desk = mkdtempSync(path.join(tmpdir(), 'console-'));
    writeFileSync(path.join(desk, 'index.html'), '<!doctype html><title>邻里社区工作台</title>');
    const alone = await buildApp({ config: loadConfig({ LINLI_CONFIG: 'test' }, { server: { staticDir: null, consoleDir: desk } }) });
    try {
      expect((await alone.inject({ url: '/console/intake' })).body).toContain('邻里社区工作台');
      expect((await alone.inject({ url: '/' })).statusCode).toBe(404);
    } finally {
      await alone.close();
    }
  });
});
