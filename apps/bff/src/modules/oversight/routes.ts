import { ErrorBody, ScopeTree } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ScopeService } from './scope';

export function oversightRoutes(app: ZodApp, auth: AuthService, scope: ScopeService): void {
  app.register(async (s: ZodApp) => {
    requireSession(s, auth);
    s.get(
      '/api/v1/oversight/scope',
      {
        schema: {
          tags: ['oversight'],
          description: 'The districts, streets and communities the caller may see (community, street or district staff).',
          response: { 200: ScopeTree, 403: ErrorBody },
        },
      },
      async (req) => scope.tree(actorOf(req)),
    );
  });
}
