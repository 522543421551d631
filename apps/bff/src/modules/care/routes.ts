import {
  CareAssignBody,
  CareAssignment,
  CareHouseholdParams,
  CarePage,
  CareQuery,
  ErrorBody,
  Ok,
  VisitIdParams,
  VisitList,
  VisitOutcomeBody,
  VisitView,
} from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { CareService } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** The 包保 care ledger: staff assign and watch; helpers see and record their visits. */
export function careRoutes(app: ZodApp, auth: AuthService, care: CareService): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get(
      '/api/v1/staff/care',
      { schema: { tags: ['staff'], querystring: CareQuery, response: { 200: CarePage, ...errors } } },
      async (req) => care.list(actorOf(req), req.query),
    );
    scope.put(
      '/api/v1/staff/care/:id',
      { schema: { tags: ['staff'], params: CareHouseholdParams, body: CareAssignBody, response: { 200: CareAssignment, ...errors } } },
      async (req) => care.assign(actorOf(req), req.params.id, req.body),
    );
    scope.delete(
      '/api/v1/staff/care/:id',
      { schema: { tags: ['staff'], params: CareHouseholdParams, response: { 200: Ok, ...errors } } },
      async (req) => {
        await care.end(actorOf(req), req.params.id);
        return { ok: true as const };
      },
    );
    scope.get('/api/v1/helper/visits', { schema: { tags: ['helper'], response: { 200: VisitList, ...errors } } }, async (req) => ({
      items: await care.helperVisits(actorOf(req)),
    }));
    scope.post(
      '/api/v1/helper/visits/:id',
      { schema: { tags: ['helper'], params: VisitIdParams, body: VisitOutcomeBody, response: { 200: VisitView, ...errors } } },
      async (req) => care.record(actorOf(req), req.params.id, req.body),
    );
  });
}
