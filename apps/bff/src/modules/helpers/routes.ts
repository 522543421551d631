import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import { requireHelper } from '../auth/actor';
import type { AuthService } from '../auth/service';
import type { ErrandService } from '../errands/service';
import type { HelperService } from './service';

export const helperRoutes: RoutePlugin<{ auth: AuthService; helpers: HelperService; errands: ErrandService }> = async (
  app,
  { auth, helpers, errands },
) => {
  requireSession(app, auth);
  defineRoute(app, routes.setDuty, async (req) => {
    const { onDuty, lat, lng } = req.body;
    return helpers.setDuty(actorOf(req), onDuty, lat !== undefined && lng !== undefined ? { lat, lng } : null);
  });
  defineRoute(app, routes.offers, async (req) => ({ items: await errands.helperOffers(requireHelper(actorOf(req)).helperId) }));
  defineRoute(app, routes.tasks, async (req) => ({ items: await errands.helperTasks(requireHelper(actorOf(req)).helperId) }));
  defineRoute(app, routes.helperRecord, async (req) => helpers.record(actorOf(req)));
  defineRoute(app, routes.staffHelpers, async (req) => ({ items: await helpers.listForStaff(actorOf(req)) }));
  defineRoute(app, routes.verifyHelper, async (req) =>
    helpers.setVerified(actorOf(req), req.params.id, req.body.verified, req.body.reason),
  );
  defineRoute(app, routes.setHelperZones, async (req) =>
    helpers.setZones(actorOf(req), req.params.id, req.body.buildingIds, req.body.reason),
  );
};
