import { AuditPage, AuditQuery, ErrorBody } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { AuditService } from './service';

export function auditRoutes(app: ZodApp, auth: AuthService, audit: AuditService): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get(
      '/api/v1/staff/audit',
      {
        schema: {
          tags: ['staff'],
          description:
            'Staff actions (who, when, why, before/after), newest first. Community staff read their community, street and district staff their scope; pass nextCursor back as cursor for the next page.',
          querystring: AuditQuery,
          response: { 200: AuditPage, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => audit.list(actorOf(req), req.query),
    );
  });
}
