import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ScopeService } from './scope';
import type { OversightService } from './service';

export const oversightRoutes: RoutePlugin<{ auth: AuthService; scope: ScopeService; oversight: OversightService }> = async (
  app,
  { auth, scope, oversight },
) => {
  requireSession(app, auth);
  defineRoute(app, routes.oversightScope, async (req) => scope.tree(actorOf(req)));
  defineRoute(app, routes.oversightCommunities, async (req) => ({ items: await oversight.communities(actorOf(req)) }));
  defineRoute(app, routes.oversightQueue, async (req) => ({
    ...(await oversight.communityQueue(actorOf(req), req.params.id, req.query)),
    communityId: req.params.id,
    readOnly: true as const,
  }));
};
