import {
  DutyBody,
  ErrandList,
  HelperIdParams,
  HelperList,
  HelperProfile,
  HelperRecord,
  HelperSummary,
  HelperZones,
  HelperZonesBody,
  ErrorBody,
  OfferList,
  VerifyHelperBody,
} from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import { requireHelper } from '../auth/actor';
import type { AuthService } from '../auth/service';
import type { ErrandService } from '../errands/service';
import type { HelperService } from './service';

export function helperRoutes(app: ZodApp, auth: AuthService, helpers: HelperService, errands: ErrandService): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.put('/api/v1/helper/duty', { schema: { tags: ['helper'], body: DutyBody, response: { 200: HelperProfile } } }, async (req) => {
      const { onDuty, lat, lng } = req.body;
      return helpers.setDuty(actorOf(req), onDuty, lat !== undefined && lng !== undefined ? { lat, lng } : null);
    });
    scope.get('/api/v1/helper/offers', { schema: { tags: ['helper'], response: { 200: OfferList } } }, async (req) => ({
      items: await errands.helperOffers(requireHelper(actorOf(req)).helperId),
    }));
    scope.get('/api/v1/helper/tasks', { schema: { tags: ['helper'], response: { 200: ErrandList } } }, async (req) => ({
      items: await errands.helperTasks(requireHelper(actorOf(req)).helperId),
    }));
    scope.get('/api/v1/helper/record', { schema: { tags: ['helper'], response: { 200: HelperRecord } } }, async (req) =>
      helpers.record(actorOf(req)),
    );
    scope.get('/api/v1/staff/helpers', { schema: { tags: ['staff'], response: { 200: HelperList } } }, async (req) => ({
      items: await helpers.listForStaff(actorOf(req)),
    }));
    scope.post(
      '/api/v1/staff/helpers/:id/verify',
      { schema: { tags: ['staff'], params: HelperIdParams, body: VerifyHelperBody, response: { 200: HelperSummary } } },
      async (req) => helpers.setVerified(actorOf(req), req.params.id, req.body.verified, req.body.reason),
    );
    scope.put(
      '/api/v1/staff/helpers/:id/zones',
      {
        schema: {
          tags: ['staff'],
          description: 'Set the buildings a helper of the community answers for (audited).',
          params: HelperIdParams,
          body: HelperZonesBody,
          response: { 200: HelperZones, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => helpers.setZones(actorOf(req), req.params.id, req.body.buildingIds, req.body.reason),
    );
  });
}
