import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { createRedis } from '../infra/redis';
import { deleteKeysWithPrefix } from '../../test/support/redis-keys';
import { startTcpProxy } from '../../test/support/tcp-proxy';
import { HitCounter } from './hit-counter';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MINUTE = 60_000;
const recordingLog = () => {
  const lines: string[] = [];
  const log = { warn: (_: unknown, msg: string) => lines.push(msg), info: (msg: string) => lines.push(msg) };
  return { lines, log: log as unknown as FastifyBaseLogger };
};
const quiet = recordingLog().log;

describe('HitCounter without Redis', () => {
  it('counts each key in its own window and starts again when the window ends', () => {
    let now = 1_000_000;
    const counter = new HitCounter(null, quiet, { now: () => now });
    expect(counter.hit('a', MINUTE)).toEqual({ count: 1, resetInMs: MINUTE });
    now += 20_000;
    expect(counter.hit('a', MINUTE)).toEqual({ count: 2, resetInMs: 40_000 });
    expect(counter.hit('b', MINUTE).count).toBe(1);
    now += 40_000;
    expect(counter.hit('a', MINUTE)).toEqual({ count: 1, resetInMs: MINUTE });
  });

  it('forgets the oldest key when a flood of new keys reaches the cap', () => {
    const counter = new HitCounter(null, quiet, { maxKeys: 2 });
    counter.hit('old', MINUTE);
    counter.hit('old', MINUTE);
    counter.hit('new-1', MINUTE);
    counter.hit('new-2', MINUTE);
    expect(counter.hit('new-1', MINUTE).count).toBe(2);
    expect(counter.hit('old', MINUTE).count).toBe(1);
  });
});

describe('HitCounter shared through Redis', () => {
  const prefix = `linli:test:hits_${randomBytes(4).toString('hex')}:`;
  const redisA = createRedis(REDIS_URL, prefix);
  const redisB = createRedis(REDIS_URL, prefix);
  const counters: HitCounter[] = [];
  const instance = (redis = redisA, syncMs = 60_000) => {
    const c = new HitCounter(redis, quiet, { syncMs });
    counters.push(c);
    return c;
  };
  let n = 0;
  const key = () => `k${n++}`;

  beforeAll(async () => {
    for (const r of [redisA, redisB])
      await new Promise<void>((resolve) => (r.status === 'ready' ? resolve() : r.once('ready', () => resolve())));
  });
  afterAll(async () => {
    for (const c of counters) await c.close();
    await deleteKeysWithPrefix(prefix);
    redisA.disconnect();
    redisB.disconnect();
  });

  it('answers a hit at once and learns the other instances\u2019 hits at its next sync', async () => {
    const [a, b, k] = [instance(redisA), instance(redisB), key()];
    for (let i = 0; i < 3; i++) a.hit(k, MINUTE);
    await a.sync();
    // b has not synced: it knows only its own hit.
    expect(b.hit(k, MINUTE).count).toBe(1);
    await b.sync();
    expect(b.hit(k, MINUTE).count).toBe(5);
    // a learns b's hits when it next sends its own.
    expect(a.hit(k, MINUTE).count).toBe(4);
    await a.sync();
    expect(a.hit(k, MINUTE).count).toBe(6);
    // b's last hit is still on its way.
    expect(Number(await redisA.get(`rl:${k}`))).toBe(5);
  });

  it('syncs by itself every interval while hits keep coming', async () => {
    const [a, b, k] = [instance(redisA, 20), instance(redisB, 20), key()];
    for (let i = 0; i < 4; i++) a.hit(k, MINUTE);
    const until = Date.now() + 5_000;
    while (Number(await redisA.get(`rl:${k}`)) < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    b.hit(k, MINUTE);
    await new Promise((r) => setTimeout(r, 100));
    expect(b.hit(k, MINUTE).count).toBe(6);
  });

  it('takes the window from Redis: an instance joining late ends it when the first one does', async () => {
    const k = key();
    await redisA.set(`rl:${k}`, '9', 'PX', 1_500);
    const late = instance(redisB);
    late.hit(k, MINUTE);
    await late.sync();
    const { count, resetInMs } = late.hit(k, MINUTE);
    expect(count).toBe(11);
    expect(resetInMs).toBeLessThanOrEqual(1_500);
    expect(resetInMs).toBeGreaterThan(500);
  });

  it('keeps counting while Redis is away and sends those hits when it is back', async () => {
    const proxy = await startTcpProxy(6379);
    const viaProxy = createRedis(`redis://127.0.0.1:${proxy.port}`, prefix);
    viaProxy.on('error', () => undefined);
    const { lines, log } = recordingLog();
    const counter = new HitCounter(viaProxy, log, { syncMs: 60_000 });
    const k = key();
    let stopped = false;
    const waitFor = async (status: (s: string) => boolean) => {
      const until = Date.now() + 10_000;
      while (!status(viaProxy.status) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      await waitFor((s) => s === 'ready');
      counter.hit(k, MINUTE);
      await counter.sync();
      await proxy.stop();
      stopped = true;
      await waitFor((s) => s !== 'ready');
      for (let i = 0; i < 3; i++) counter.hit(k, MINUTE);
      await counter.sync();
      await counter.sync();
      expect(counter.hit(k, MINUTE).count).toBe(5);
      expect(lines).toEqual(['rate limits: Redis unavailable, counting in this process']);
      await proxy.start();
      stopped = false;
      await waitFor((s) => s === 'ready');
      await counter.sync();
      expect(Number(await redisA.get(`rl:${k}`))).toBe(5);
      expect(lines).toEqual([
        'rate limits: Redis unavailable, counting in this process',
        'rate limits: counting with the other instances again',
      ]);
    } finally {
      if (stopped) await proxy.start();
      await counter.close();
      viaProxy.disconnect();
      await proxy.stop();
    }
  });

  it('gives up on a sync a hung Redis does not answer, and sends those hits with the next', async () => {
    const proxy = await startTcpProxy(6379);
    const viaProxy = createRedis(`redis://127.0.0.1:${proxy.port}`, prefix);
    viaProxy.on('error', () => undefined);
    const { lines, log } = recordingLog();
    const counter = new HitCounter(viaProxy, log, { syncMs: 60_000, redisTimeoutMs: 200 });
    const k = key();
    try {
      const until = Date.now() + 10_000;
      while (viaProxy.status !== 'ready' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      proxy.pause();
      for (let i = 0; i < 2; i++) counter.hit(k, MINUTE);
      const started = Date.now();
      await counter.sync();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(lines).toEqual(['rate limits: Redis unavailable, counting in this process']);
      proxy.resume();
      await counter.sync();
      // The hung write lands late and the hits are sent again: counted twice, which errs on the strict side.
      expect(Number(await redisA.get(`rl:${k}`))).toBe(4);
      expect(counter.hit(k, MINUTE).count).toBe(5);
    } finally {
      proxy.resume();
      await counter.close();
      viaProxy.disconnect();
      await proxy.stop();
    }
  });
});
