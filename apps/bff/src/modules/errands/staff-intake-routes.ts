import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { StaffIntake } from './staff-intake';

/** 电话代下单: staff create an errand for a caller's household. */
export const staffIntakeRoutes: RoutePlugin<{ auth: AuthService; intake: StaffIntake }> = async (app, { auth, intake }) => {
  requireSession(app, auth);
  defineRoute(app, routes.createErrandForCaller, async (req, reply) => {
    const view = await intake.createForCaller(actorOf(req), req.params.id, req.body, req.headers['idempotency-key']);
    return reply.status(201).send(view);
  });
};
