import type Redis from 'ioredis';
import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import type { Database } from '../../infra/db/database';
import { pingRedis } from '../../infra/redis';

/**
 * /healthz: the process is alive. /readyz: it can serve — the database must answer (else 503);
 * a configured Redis that does not answer makes it "degraded" but still ready, since nothing
 * that must not be lost lives in Redis.
 */
export const healthRoutes: RoutePlugin<{ db: Database; redis: Redis | null; readyTimeoutMs?: number }> = async (
  app,
  { db, redis, readyTimeoutMs = 1000 },
) => {
  defineRoute(app, routes.healthz, async () => ({ status: 'ok' as const, checks: {} }));
  defineRoute(app, routes.readyz, async (_req, reply) => {
    // Its own short limit: a load balancer asking "ready?" must hear "no" soon, not wait out the query timeout.
    const [database, cache] = await Promise.all([
      within(db.ping(), readyTimeoutMs, false),
      redis ? pingRedis(redis, Math.min(500, readyTimeoutMs)) : Promise.resolve(null),
    ]);
    const checks = {
      database: database ? ('ok' as const) : ('down' as const),
      redis: cache === null ? ('not_configured' as const) : cache ? ('ok' as const) : ('down' as const),
    };
    const status = !database ? 'down' : checks.redis === 'down' ? 'degraded' : 'ok';
    return reply.status(status === 'down' ? 503 : 200).send({ status, checks });
  });
};

/** `promise`'s value, or `otherwise` if it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, otherwise: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(otherwise), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
