import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { HouseholdRegistry } from './registry';
import type { CommunityService } from './service';

const ok = { ok: true as const };

export const communityRoutes: RoutePlugin<{ auth: AuthService; community: CommunityService; registry: HouseholdRegistry }> = async (
  app,
  { auth, community, registry },
) => {
  requireSession(app, auth);
  defineRoute(app, routes.communities, async () => ({ items: await community.listCommunities() }));
  defineRoute(app, routes.compounds, async (req) => ({ items: await community.listCompounds(req.params.id) }));
  defineRoute(app, routes.registerHousehold, async (req) => community.registerHousehold(actorOf(req), req.body));
  defineRoute(app, routes.setLockdown, async (req) => {
    await community.setLockdown(actorOf(req), req.params.id, req.body.lockdown, req.body.reason);
    return ok;
  });
  defineRoute(app, routes.setDutyPhone, async (req) => {
    await registry.setDutyPhone(actorOf(req), req.body.dutyPhone);
    return ok;
  });
  defineRoute(app, routes.editHousehold, async (req) => registry.editHousehold(actorOf(req), req.params.id, req.body));
  defineRoute(app, routes.householdChanges, async (req) => ({ items: await registry.pendingChanges(actorOf(req)) }));
  defineRoute(app, routes.decideHouseholdChange, async (req) => {
    await registry.decideChange(actorOf(req), req.params.id, req.body.approve);
    return ok;
  });
};
