import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { routes } from '@linli/contracts';
import { schemaOf, type ZodApp } from '../../http';
import type { Database } from '../../infra/db/database';
import type { SearchTally } from '../dispatch/candidates';
import { overdueDeadlineCount } from '../dispatch/deadline-store';
import { unrelayedEventCount } from '../live/outbox';
import { pendingNotificationCount } from '../notifications/store';
import { unauthorized } from '../../errors';
import { bearerToken } from '../../plugins/auth';

export interface MetricSources {
  db: Database;
  now: () => number;
  gateway: { readonly openSockets: number };
  relay: { readonly relayedTotal: number; readonly publishFailuresTotal: number };
  candidateSearches: Readonly<SearchTally>;
}

/**
 * GET /metrics in Prometheus' text format: requests by route and status, live sockets, the
 * outbox, deadline and message backlogs (the numbers that say a queue is stuck), and Node's own.
 * Backlogs are counted at scrape time with indexed queries, by the modules owning the tables. Each app has its own registry, so
 * several apps in one process (tests) never share counters. With `metrics.token` set, scrapers
 * must send it as a bearer token.
 */
export function registerMetrics(app: ZodApp, sources: MetricSources, token: string | null): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'linli_' });

  const requests = new Histogram({
    name: 'linli_http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? '(unmatched)';
    requests.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const { db, now, gateway, relay, candidateSearches } = sources;
  new Gauge({
    name: 'linli_live_sockets',
    help: 'Open WebSockets on this instance',
    registers: [registry],
    collect() {
      this.set(gateway.openSockets);
    },
  });
  new Counter({
    name: 'linli_live_events_relayed_total',
    help: 'Outbox events this instance numbered and published',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(relay.relayedTotal);
    },
  });
  new Counter({
    name: 'linli_live_publish_failures_total',
    help: 'Batches this instance could not publish (gateways read them from the table)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(relay.publishFailuresTotal);
    },
  });
  new Counter({
    name: 'linli_candidate_searches_total',
    help: 'Dispatch rounds that searched for helpers on this instance',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(candidateSearches.searches);
    },
  });
  new Counter({
    name: 'linli_candidate_searches_widened_total',
    help: 'Searches whose nearest helpers were too busy, so they looked further (a saturated neighbourhood)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(candidateSearches.widened);
    },
  });
  new Gauge({
    name: 'linli_outbox_unrelayed',
    help: 'Committed events no relay has numbered yet',
    registers: [registry],
    async collect() {
      this.set(await unrelayedEventCount(db));
    },
  });
  new Gauge({
    name: 'linli_deadlines_overdue',
    help: 'Deadlines (offer rounds, retries, auto-confirm) past due and not yet handled',
    registers: [registry],
    async collect() {
      this.set(await overdueDeadlineCount(db, now()));
    },
  });
  new Gauge({
    name: 'linli_notifications_pending',
    help: 'Subscribe messages waiting to be sent (or retried)',
    registers: [registry],
    async collect() {
      this.set(await pendingNotificationCount(db));
    },
  });

  app.get(routes.metrics.path, { schema: schemaOf(routes.metrics) }, async (req, reply) => {
    if (token !== null && !sameSecret(bearerToken(req), token)) throw unauthorized('需要监控令牌', 'METRICS_TOKEN_REQUIRED');
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
