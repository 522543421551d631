import type { FastifyBaseLogger } from 'fastify';
import type { ChainableCommander, default as Redis } from 'ioredis';

/** Adds hits to a key's window, starting the window if there is none; answers {total, ms left}. */
const ADD_HITS = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {n, ttl}`;

interface WithAddHits {
  linliAddHits(key: string, hits: number, windowMs: number): this;
}

/** One key's hits in the current window, as this instance knows them. */
interface Window {
  /** When it ends: a window begins at a key's first hit; Redis's copy decides once it has answered. */
  endsAt: number;
  windowMs: number;
  /** Every instance's hits, as Redis last reported them (this instance's sent ones included). */
  shared: number;
  /** This instance's hits on their way to Redis. */
  sending: number;
  /** This instance's hits not sent yet. */
  pending: number;
}

export interface Hit {
  count: number;
  resetInMs: number;
}

export interface HitCounterOptions {
  /** How often this instance adds its new hits to the shared counters (and learns the others'). */
  syncMs?: number;
  /** Keys remembered at most; a flood of new keys (addresses) evicts the oldest. */
  maxKeys?: number;
  /** A sync not answered within this has failed (its hits are sent again with the next). */
  redisTimeoutMs?: number;
  now?: () => number;
}

/**
 * Fixed-window hit counters for rate limits, answered in this process without waiting for
 * anything: a request never waits on Redis (it used to make two Redis round trips before its
 * handler ran). With Redis, each instance adds its new hits to shared counters every `syncMs` (one
 * pipelined write for all keys) and learns what the other instances added, so a hit counts against
 * (everyone's hits as last reported + this instance's since). What the others took in the last
 * interval is unseen: across N instances a key gets at most its limit plus their last interval's
 * hits, and never more than N times its limit, which is also the bound while Redis is away (each
 * instance then counts on its own, carrying on from what it knew). A window begins at a key's
 * first hit, as Redis's copy of the key says (its time to live), so the instances agree on it.
 */
export class HitCounter {
  private readonly windows = new Map<string, Window>();
  /** Keys with hits not sent yet: a sync looks at these only, however many keys are remembered. */
  private readonly unsent = new Set<string>();
  private readonly syncMs: number;
  private readonly maxKeys: number;
  private readonly redisTimeoutMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private degraded = false;

  constructor(
    private readonly redis: Redis | null,
    private readonly log: FastifyBaseLogger,
    options: HitCounterOptions = {},
  ) {
    this.syncMs = options.syncMs ?? 100;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 1_000;
    this.now = options.now ?? Date.now;
    if (redis && !('linliAddHits' in redis)) redis.defineCommand('linliAddHits', { numberOfKeys: 1, lua: ADD_HITS });
  }

  hit(key: string, windowMs: number): Hit {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= t) {
      this.windows.delete(key);
      // Map keeps insertion order, so the first key is the oldest window.
      if (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next().value!;
        this.windows.delete(oldest);
        this.unsent.delete(oldest);
      }
      w = { endsAt: t + windowMs, windowMs, shared: 0, sending: 0, pending: 0 };
      this.windows.set(key, w);
    }
    w.pending += 1;
    if (this.redis) this.unsent.add(key);
    if (this.redis && !this.timer) this.timer = setTimeout(() => void this.sync(), this.syncMs).unref();
    return { count: w.shared + w.sending + w.pending, resetInMs: w.endsAt - t };
  }

  /** Adds this instance's new hits to the shared counters now (tests; closing). */
  async sync(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.syncing) await this.syncing;
    this.syncing = this.sendPending().finally(() => (this.syncing = null));
    await this.syncing;
  }

  /** Sends what is pending and stops the timer. */
  async close(): Promise<void> {
    await this.sync();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async sendPending(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    if (this.unsent.size === 0) return;
    if (redis.status !== 'ready') return this.fellBack(new Error(`Redis is ${redis.status}`));
    const t = this.now();
    const batch: { key: string; w: Window; n: number }[] = [];
    for (const key of this.unsent) {
      const w = this.windows.get(key);
      // An ended window's hits no longer count anywhere.
      if (w && w.endsAt > t && w.pending > 0) batch.push({ key, w, n: w.pending });
    }
    this.unsent.clear();
    if (batch.length === 0) return;
    const pipeline = redis.pipeline() as ChainableCommander & WithAddHits;
    for (const { key, w, n } of batch) {
      w.sending += n;
      w.pending -= n;
      pipeline.linliAddHits(`rl:${key}`, n, w.windowMs);
    }
    const sentAt = this.now();
    let replies: [Error | null, unknown][] = [];
    let failure: unknown = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A Redis that hangs must not hold the counts (or the app's close) hostage.
      replies =
        (await Promise.race([
          pipeline.exec(),
          new Promise<never>(
            (_, reject) => (timer = setTimeout(() => reject(new Error('rate limits: Redis too slow')), this.redisTimeoutMs)),
          ),
        ])) ?? [];
    } catch (err) {
      failure = err;
    } finally {
      clearTimeout(timer);
    }
    batch.forEach(({ key, w, n }, i) => {
      w.sending -= n;
      const [err, reply] = replies[i] ?? [failure ?? new Error('no reply'), null];
      if (err) {
        failure ??= err;
        // Not known to have landed: sent again with the next hits (counting twice errs on the strict side).
        w.pending += n;
        this.unsent.add(key);
      } else {
        const [total, ttl] = reply as [number, number];
        w.shared = Math.max(w.shared, Number(total));
        w.endsAt = sentAt + Number(ttl);
      }
    });
    if (failure) return this.fellBack(failure);
    if (this.degraded) this.log.info('rate limits: counting with the other instances again');
    this.degraded = false;
  }

  private fellBack(err: unknown): void {
    if (!this.degraded) this.log.warn({ err }, 'rate limits: Redis unavailable, counting in this process');
    this.degraded = true;
    // Try again in a while; until then this instance's own hits still count.
    if (!this.timer) this.timer = setTimeout(() => void this.sync(), this.syncMs * 10).unref();
  }
}
