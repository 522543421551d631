import {
  AssignBody,
  ErrandIdParams,
  ErrandView,
  ErrorBody,
  ReasonBody,
  StaffErrandHistory,
  StaffErrandsQuery,
  StaffQueue,
  StaffQueueQuery,
} from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandLifecycle } from '../errands/lifecycle';
import type { StaffQueueService } from './service';

export function staffRoutes(app: ZodApp, auth: AuthService, queue: StaffQueueService, lifecycle: ErrandLifecycle): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get(
      '/api/v1/staff/queue',
      {
        schema: {
          tags: ['staff'],
          description: 'Open errands, most pressing first; street and district staff read their scope (read-only).',
          querystring: StaffQueueQuery,
          response: { 200: StaffQueue, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => queue.queue(actorOf(req), req.query),
    );
    scope.get(
      '/api/v1/staff/errands',
      {
        schema: {
          tags: ['staff'],
          description:
            'History and search over open and closed errands, newest first: filters, and q = name, last 4 phone digits, door (3-2-601) or errand id.',
          querystring: StaffErrandsQuery,
          response: { 200: StaffErrandHistory, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => queue.history(actorOf(req), req.query),
    );
    scope.post(
      '/api/v1/staff/errands/:id/assign',
      {
        schema: {
          tags: ['staff'],
          params: ErrandIdParams,
          body: AssignBody,
          response: { 200: ErrandView, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => lifecycle.assign(actorOf(req), req.params.id, req.body.helperId, req.body.reason),
    );
    scope.post(
      '/api/v1/staff/errands/:id/deliver',
      {
        schema: {
          tags: ['staff'],
          params: ErrandIdParams,
          body: ReasonBody,
          response: { 200: ErrandView, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => lifecycle.staffDeliver(actorOf(req), req.params.id, req.body.reason),
    );
  });
}
