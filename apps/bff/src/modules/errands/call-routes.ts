import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandCalls } from './calls';

export const callRoutes: RoutePlugin<{ auth: AuthService; calls: ErrandCalls }> = async (app, { auth, calls }) => {
  requireSession(app, auth);
  defineRoute(app, routes.callErrand, async (req) => calls.call(actorOf(req), req.params.id));
};
