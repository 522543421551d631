import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { StatsService } from './service';

export const statsRoutes: RoutePlugin<{ auth: AuthService; stats: StatsService }> = async (app, { auth, stats }) => {
  requireSession(app, auth);
  defineRoute(app, routes.stats, async (req) => stats.stats(actorOf(req), req.query));
  defineRoute(app, routes.ledger, async (req) => stats.ledger(actorOf(req), req.query));
};
