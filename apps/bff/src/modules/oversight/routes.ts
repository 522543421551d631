import { z } from 'zod';
import { ErrorBody, Id, OversightCommunityList, OversightQueue, ScopeTree, StaffQueueQuery } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ScopeService } from './scope';
import type { OversightService } from './service';

const CommunityParams = z.object({ id: Id });

export function oversightRoutes(app: ZodApp, auth: AuthService, scope: ScopeService, oversight: OversightService): void {
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
    s.get(
      '/api/v1/oversight/communities',
      {
        schema: {
          tags: ['oversight'],
          description:
            'Roll-up per community in scope: open errands by status, escalated, helpers on duty, compounds closed or controlled.',
          response: { 200: OversightCommunityList, 403: ErrorBody },
        },
      },
      async (req) => ({ items: await oversight.communities(actorOf(req)) }),
    );
    s.get(
      '/api/v1/oversight/communities/:id/queue',
      {
        schema: {
          tags: ['oversight'],
          description: 'Read-only drill-down: the open errands of one community in scope, most pressing first.',
          params: CommunityParams,
          querystring: StaffQueueQuery,
          response: { 200: OversightQueue, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => ({
        ...(await oversight.communityQueue(actorOf(req), req.params.id, req.query)),
        communityId: req.params.id,
        readOnly: true as const,
      }),
    );
  });
}
