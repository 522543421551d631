import Redis from 'ioredis';

/**
 * Redis holds only what is fast and disposable: rate-limit counters, the geo index, live-event
 * pub/sub (its own connection, modules/live/bus.ts), spent website-login states (ten minutes each). Commands fail fast while it is down instead of queueing, so requests never hang on it.
 */
export function createRedis(url: string, keyPrefix: string): Redis {
  return new Redis(url, {
    keyPrefix,
    lazyConnect: false,
    // Auto-pipelining lets the accept race's burst of gate calls leave in one write. The geo search
    // of every create and dispatch round (modules/dispatch/geo-index.ts) goes at once instead:
    // queued behind a running pipeline, it kept a quarter to a half of what a create left in V8's old
    // generation (docs/performance.md, fifth pass).
    enableAutoPipelining: true,
    autoPipeliningIgnoredCommands: ['linliNearby'],
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

/**
 * A subscription to one pub/sub channel on its own connection (a subscribed connection can do
 * nothing else), which ioredis re-subscribes after every reconnect. `resumed` is told of each
 * reconnect: whatever was published meanwhile was lost.
 */
export function subscribeChannel(
  url: string,
  channel: string,
  handlers: { message(text: string): void; resumed(): void },
): { close(): void } {
  const sub = new Redis(url, {
    lazyConnect: false,
    connectTimeout: 2000,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  sub.on('error', () => undefined); // reconnects by itself
  let connectedBefore = false;
  sub.on('ready', () => {
    if (connectedBefore) handlers.resumed();
    connectedBefore = true;
  });
  sub.on('message', (_channel: string, text: string) => handlers.message(text));
  void sub.subscribe(channel).catch(() => undefined);
  return { close: () => sub.disconnect() };
}
