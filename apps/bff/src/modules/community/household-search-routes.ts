import { ErrorBody, HouseholdInput, HouseholdMatchList, HouseholdSearchQuery, HouseholdView } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { HouseholdSearch } from './household-search';

/** The hotline desk: find a caller's household by name, phone (or last 4) or door; register it if none. */
export function householdSearchRoutes(app: ZodApp, auth: AuthService, search: HouseholdSearch): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get(
      '/api/v1/staff/households/search',
      {
        schema: {
          tags: ['staff'],
          description: 'Households of the staff member’s community matching a name, mobile, its last 4 digits or a door 楼-单元-室.',
          querystring: HouseholdSearchQuery,
          response: { 200: HouseholdMatchList, 400: ErrorBody, 403: ErrorBody },
        },
      },
      async (req) => ({ items: await search.search(actorOf(req), req.query.q) }),
    );
    scope.post(
      '/api/v1/staff/households',
      {
        schema: {
          tags: ['staff'],
          description:
            'Registers a caller’s household (or returns the one at that door; a different contact becomes a change request). Audited.',
          body: HouseholdInput,
          response: { 200: HouseholdView, 400: ErrorBody, 403: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => search.register(actorOf(req), req.body),
    );
  });
}
