import type Redis from 'ioredis';
import { HealthStatus } from '@linli/contracts';
import type { ZodApp } from '../../http';
import type { Database } from '../../infra/db/database';
import { pingRedis } from '../../infra/redis';

/**
 * /healthz: the process is alive. /readyz: it can serve — the database must answer (else 503);
 * a configured Redis that does not answer makes it "degraded" but still ready, since nothing
 * that must not be lost lives in Redis.
 */
export function healthRoutes(app: ZodApp, db: Database, redis: Redis | null): void {
  app.get('/healthz', { schema: { tags: ['health'], security: [], response: { 200: HealthStatus } } }, async () => ({
    status: 'ok' as const,
    checks: {},
  }));
  app.get(
    '/readyz',
    { schema: { tags: ['health'], security: [], response: { 200: HealthStatus, 503: HealthStatus } } },
    async (_req, reply) => {
      const [database, cache] = await Promise.all([db.ping(), redis ? pingRedis(redis) : Promise.resolve(null)]);
      const checks = {
        database: database ? ('ok' as const) : ('down' as const),
        redis: cache === null ? ('not_configured' as const) : cache ? ('ok' as const) : ('down' as const),
      };
      const status = !database ? 'down' : checks.redis === 'down' ? 'degraded' : 'ok';
      return reply.status(status === 'down' ? 503 : 200).send({ status, checks });
    },
  );
}
