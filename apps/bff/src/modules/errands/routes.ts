import { z } from 'zod';
import {
  CreateErrandBody,
  DeliverBody,
  ErrandIdParams,
  ErrandList,
  ErrandView,
  ErrorBody,
  Ok,
  OptionalReasonBody,
  RateBody,
  ReasonBody,
} from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandLifecycle } from './lifecycle';
import type { ErrandService } from './service';

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: '缺少 Idempotency-Key 请求头' })
    .regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Idempotency-Key 须为 8 到 100 位字母、数字或 _.:-'),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const ok = { ok: true as const };

export function errandRoutes(app: ZodApp, auth: AuthService, errands: ErrandService, lifecycle: ErrandLifecycle): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    const byId = { params: ErrandIdParams };

    scope.post(
      '/api/v1/errands',
      {
        schema: {
          tags: ['errands'],
          headers: IdempotencyHeaders,
          body: CreateErrandBody,
          response: { 200: ErrandView, 201: ErrandView, ...errors },
        },
      },
      async (req, reply) => {
        const result = await errands.createErrand(actorOf(req), req.body, req.headers['idempotency-key']);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return reply.status(result.statusCode).send(result.view);
      },
    );
    scope.get('/api/v1/errands', { schema: { tags: ['errands'], response: { 200: ErrandList } } }, async (req) => ({
      items: await errands.listMine(actorOf(req)),
    }));
    scope.get('/api/v1/errands/:id', { schema: { tags: ['errands'], ...byId, response: { 200: ErrandView, ...errors } } }, async (req) =>
      errands.getErrand(actorOf(req), req.params.id),
    );

    // Resident (and staff) steps.
    scope.post(
      '/api/v1/errands/:id/cancel',
      { schema: { tags: ['errands'], ...byId, body: OptionalReasonBody.nullish(), response: { 200: ErrandView, ...errors } } },
      async (req) => lifecycle.cancel(actorOf(req), req.params.id, req.body?.reason),
    );
    scope.post(
      '/api/v1/errands/:id/confirm',
      { schema: { tags: ['errands'], ...byId, response: { 200: ErrandView, ...errors } } },
      async (req) => lifecycle.confirm(actorOf(req), req.params.id),
    );
    scope.post(
      '/api/v1/errands/:id/rate',
      { schema: { tags: ['errands'], ...byId, body: RateBody, response: { 200: ErrandView, ...errors } } },
      async (req) => lifecycle.rate(actorOf(req), req.params.id, req.body.stars, req.body.comment),
    );

    // Helper steps.
    scope.post(
      '/api/v1/errands/:id/accept',
      { schema: { tags: ['helper'], ...byId, response: { 200: ErrandView, ...errors } } },
      async (req) => lifecycle.accept(actorOf(req), req.params.id),
    );
    scope.post('/api/v1/errands/:id/decline', { schema: { tags: ['helper'], ...byId, response: { 200: Ok, ...errors } } }, async (req) => {
      await lifecycle.decline(actorOf(req), req.params.id);
      return ok;
    });
    scope.post(
      '/api/v1/errands/:id/release',
      { schema: { tags: ['helper'], ...byId, body: ReasonBody, response: { 200: Ok, ...errors } } },
      async (req) => {
        await lifecycle.release(actorOf(req), req.params.id, req.body.reason);
        return ok;
      },
    );
    scope.post(
      '/api/v1/errands/:id/pickup',
      { schema: { tags: ['helper'], ...byId, response: { 200: ErrandView, ...errors } } },
      async (req) => lifecycle.pickup(actorOf(req), req.params.id),
    );
    scope.post(
      '/api/v1/errands/:id/deliver',
      { schema: { tags: ['helper'], ...byId, body: DeliverBody, response: { 200: ErrandView, ...errors } } },
      async (req) => lifecycle.deliver(actorOf(req), req.params.id, req.body.handoverCode, req.body.note),
    );
  });
}
