import { ErrandIdParams, ErrorBody, Ok, RepeatBody, RepeatIdParams, RepeatList, RepeatView } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { RepeatService } from './repeats';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };

/** Residents' repeated errands (weekly water). */
export function repeatRoutes(app: ZodApp, auth: AuthService, repeats: RepeatService): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.post(
      '/api/v1/errands/:id/repeat',
      { schema: { tags: ['errands'], params: ErrandIdParams, body: RepeatBody, response: { 201: RepeatView, ...errors } } },
      async (req, reply) => reply.status(201).send(await repeats.repeat(actorOf(req), req.params.id, req.body.everyDays)),
    );
    scope.get('/api/v1/me/repeats', { schema: { tags: ['errands'], response: { 200: RepeatList, ...errors } } }, async (req) => ({
      items: await repeats.list(actorOf(req)),
    }));
    scope.delete(
      '/api/v1/me/repeats/:id',
      { schema: { tags: ['errands'], params: RepeatIdParams, response: { 200: Ok, ...errors } } },
      async (req) => {
        await repeats.stop(actorOf(req), req.params.id);
        return { ok: true as const };
      },
    );
  });
}
