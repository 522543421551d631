import Redis from 'ioredis';

/**
 * Redis holds only what is fast and disposable: rate-limit counters, the geo index, live-event
 * pub/sub (its own connection, modules/live/bus.ts), spent website-login states (ten minutes each). Commands fail fast while it is down instead of queueing, so requests never hang on it.
 */
export function createRedis(url: string, keyPrefix: string): Redis {
  return new Redis(url, {
    keyPrefix,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

export async function pingRedis(redis: Redis, timeoutMs = 500): Promise<boolean> {
  try {
    const reply = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return reply === 'PONG';
  } catch {
    return false;
  }
}
