import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { AuditService } from './service';

export const auditRoutes: RoutePlugin<{ auth: AuthService; audit: AuditService }> = async (app, { auth, audit }) => {
  requireSession(app, auth);
  defineRoute(app, routes.audit, async (req) => audit.list(actorOf(req), req.query));
};
