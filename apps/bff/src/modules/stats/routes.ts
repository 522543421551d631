import { ErrorBody, Ledger, LedgerQuery, StatsQuery, StatsReport } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { StatsService } from './service';

export function statsRoutes(app: ZodApp, auth: AuthService, stats: StatsService): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get(
      '/api/v1/staff/stats',
      {
        schema: {
          tags: ['staff'],
          description:
            'Statistics per day or week (Asia/Shanghai calendar): created, delivered (and within the SLA tier), completed, cancelled, escalated, each counted on the day it happened; time to accept and to deliver (p50/p90) of the errands delivered, read from log-scale histograms and exact to one bucket (the value is the upper edge of its bucket, at most about 24% above the exact one); by category, compound and helper; active helpers; households served (vulnerable apart). Community staff see their community; street and district staff their scope, or one community of it.',
          querystring: StatsQuery,
          response: { 200: StatsReport, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => stats.stats(actorOf(req), req.query),
    );
    scope.get(
      '/api/v1/staff/ledger',
      {
        schema: {
          tags: ['staff'],
          description:
            'The service-hours ledger (服务时长台账) for a month: per helper, errands done, hours on duty, delivery durations (accepted → delivered: average, p50/p90 as in the statistics) and thanks received. Same scope as the statistics.',
          querystring: LedgerQuery,
          response: { 200: Ledger, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => stats.ledger(actorOf(req), req.query),
    );
  });
}
