import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { HouseholdList } from './household-list';
import type { HouseholdSearch } from './household-search';

/**
 * The desk's households: the whole registry a page at a time; the hotline's look-up by name, phone
 * (or last 4) or door; registering a caller's household if none.
 */
export const householdSearchRoutes: RoutePlugin<{ auth: AuthService; search: HouseholdSearch; list: HouseholdList }> = async (
  app,
  { auth, search, list },
) => {
  requireSession(app, auth);
  defineRoute(app, routes.listHouseholds, async (req) => list.list(actorOf(req), req.query));
  defineRoute(app, routes.searchHouseholds, async (req) => ({ items: await search.search(actorOf(req), req.query.q) }));
  defineRoute(app, routes.staffRegisterHousehold, async (req) => search.register(actorOf(req), req.body));
};
