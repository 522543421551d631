import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { HouseholdSearch } from './household-search';

/** The hotline desk: find a caller's household by name, phone (or last 4) or door; register it if none. */
export const householdSearchRoutes: RoutePlugin<{ auth: AuthService; search: HouseholdSearch }> = async (app, { auth, search }) => {
  requireSession(app, auth);
  defineRoute(app, routes.searchHouseholds, async (req) => ({ items: await search.search(actorOf(req), req.query.q) }));
  defineRoute(app, routes.staffRegisterHousehold, async (req) => search.register(actorOf(req), req.body));
};
