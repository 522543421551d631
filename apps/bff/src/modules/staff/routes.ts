import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandLifecycle } from '../errands/lifecycle';
import type { StaffQueueService } from './service';

export const staffRoutes: RoutePlugin<{ auth: AuthService; queue: StaffQueueService; lifecycle: ErrandLifecycle }> = async (
  app,
  { auth, queue, lifecycle },
) => {
  requireSession(app, auth);
  defineRoute(app, routes.staffQueue, async (req) => queue.queue(actorOf(req), req.query));
  defineRoute(app, routes.staffErrands, async (req) => queue.history(actorOf(req), req.query));
  defineRoute(app, routes.assignErrand, async (req) => lifecycle.assign(actorOf(req), req.params.id, req.body.helperId, req.body.reason));
  defineRoute(app, routes.staffDeliver, async (req) => lifecycle.staffDeliver(actorOf(req), req.params.id, req.body.reason));
};
