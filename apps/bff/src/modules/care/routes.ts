import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { CareService } from './service';

/** The 包保 care ledger: staff assign and watch; helpers see and record their visits. */
export const careRoutes: RoutePlugin<{ auth: AuthService; care: CareService }> = async (app, { auth, care }) => {
  requireSession(app, auth);
  defineRoute(app, routes.careList, async (req) => care.list(actorOf(req), req.query));
  defineRoute(app, routes.assignCare, async (req) => care.assign(actorOf(req), req.params.id, req.body));
  defineRoute(app, routes.endCare, async (req) => {
    await care.end(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  defineRoute(app, routes.visits, async (req) => ({ items: await care.helperVisits(actorOf(req)) }));
  defineRoute(app, routes.recordVisit, async (req) => care.record(actorOf(req), req.params.id, req.body));
};
