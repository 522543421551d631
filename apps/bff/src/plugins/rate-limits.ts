import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import type Redis from 'ioredis';
import { routes } from '@linli/contracts';
import { tooManyRequests } from '../errors';

/** A fixed-window counter: how many hits `key` has had in its current window, and when the window ends. */
export interface HitCounter {
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
}

/** Counters in this process only: the fallback while Redis is away, and the store without Redis. */
export class LocalHitCounter implements HitCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      this.windows.delete(key);
      // Map keeps insertion order, so the first key is the oldest window: a flood of new keys evicts old ones.
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      w = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, resetInMs: w.endsAt - now };
  }
}

const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

type RedisWithHit = Redis & { linliRateHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * Counters shared by every instance in Redis, falling back to this process's own counters while
 * Redis is unreachable or slow. A limit is never skipped: during an outage each instance enforces
 * it on its own (so N instances let through at most N times the limit, not everything).
 */
export class ResilientHitCounter implements HitCounter {
  private readonly redis: RedisWithHit;
  private degraded = false;

  constructor(
    redis: Redis,
    private readonly local: HitCounter,
    private readonly log: FastifyBaseLogger,
    private readonly redisTimeoutMs = 250,
  ) {
    this.redis = redis as RedisWithHit;
    if (typeof this.redis.linliRateHit !== 'function') this.redis.defineCommand('linliRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    if (this.redis.status !== 'ready') return this.fallBack(key, windowMs, null);
    let timer: NodeJS.Timeout | undefined;
    try {
      const [count, ttl] = await Promise.race([
        this.redis.linliRateHit(`rl:${key}`, windowMs),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('rate limit: Redis too slow')), this.redisTimeoutMs))),
      ]);
      if (this.degraded) this.log.info('rate limits: back on Redis');
      this.degraded = false;
      return { count: Number(count), resetInMs: Number(ttl) };
    } catch (err) {
      return this.fallBack(key, windowMs, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private fallBack(key: string, windowMs: number, err: unknown): Promise<{ count: number; resetInMs: number }> {
    if (!this.degraded) this.log.warn({ err }, 'rate limits: Redis unavailable, counting in this process');
    this.degraded = true;
    return this.local.hit(key, windowMs);
  }
}

export interface RateLimitOptions {
  counter: HitCounter;
  /** Every request, keyed on the client address (as trusted proxies report it). Generous: NAT puts many users on one address. */
  perIpPerMinute: number;
  /** Login attempts per client address: tight, since each attempt is free for the caller to invent. */
  loginPerMinute: number;
  /** Per verified user, after the session was looked up: a made-up token never reaches this key. */
  perUserPerMinute: number;
}

/** Where a caller proves who they are; a token in these requests proves nothing yet. */
const LOGIN_ROUTES = new Set([routes.loginWithWechat, routes.loginWithWebsite, routes.loginDev].map((r) => `${r.method} ${r.path}`));
const MINUTE = 60_000;

/**
 * Rate limits in two steps. Before authentication nothing the client says about itself is
 * trusted, so the key is its address (and login routes get their own tight limit); after the
 * session has been verified (routes with `requireSession` set `req.user` in onRequest) the key is
 * the user, so inventing tokens or spoofing X-Forwarded-For buys nothing.
 */
export function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): void {
  const { counter } = options;
  const enforce = async (reply: FastifyReply, key: string, max: number) => {
    const { count, resetInMs } = await counter.hit(key, MINUTE);
    if (count <= max) return;
    reply.header('retry-after', Math.max(1, Math.ceil(resetInMs / 1000)));
    throw tooManyRequests();
  };
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    // An IPv6 client owns a whole /64, so it is one address here; IPv4-mapped addresses count as IPv4.
    const address = normalizeIP(req.ip);
    await enforce(reply, `ip:${address}`, options.perIpPerMinute);
    if (LOGIN_ROUTES.has(`${req.method} ${req.routeOptions.url}`)) await enforce(reply, `login:${address}`, options.loginPerMinute);
  });
  app.addHook('preValidation', async (req, reply) => {
    if (req.user) await enforce(reply, `u:${req.user.userId}`, options.perUserPerMinute);
  });
}
