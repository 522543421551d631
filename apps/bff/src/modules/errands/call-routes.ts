import { CallAnswer, ErrandIdParams, ErrorBody } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandCalls } from './calls';

export function callRoutes(app: ZodApp, auth: AuthService, calls: ErrandCalls): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.post(
      '/api/v1/errands/:id/call',
      {
        schema: {
          tags: ['errands'],
          params: ErrandIdParams,
          response: { 200: CallAnswer, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => calls.call(actorOf(req), req.params.id),
    );
  });
}
