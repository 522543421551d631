import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandLifecycle } from './lifecycle';
import type { ErrandAcceptance } from './acceptance';
import type { ErrandService } from './service';

const ok = { ok: true as const };

export const errandRoutes: RoutePlugin<{
  auth: AuthService;
  errands: ErrandService;
  lifecycle: ErrandLifecycle;
  acceptance: ErrandAcceptance;
}> = async (app, { auth, errands, lifecycle, acceptance }) => {
  requireSession(app, auth);

  defineRoute(app, routes.createErrand, async (req, reply) => {
    const result = await errands.createErrand(actorOf(req), req.body, req.headers['idempotency-key']);
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    // 201, or the status stored with the first answer when the key is replayed (also 201).
    return reply.status(result.statusCode as 200 | 201).send(result.view);
  });
  defineRoute(app, routes.myErrands, async (req) => ({ items: await errands.listMine(actorOf(req)) }));
  defineRoute(app, routes.errand, async (req) => errands.getErrand(actorOf(req), req.params.id));

  // Resident (and staff) steps.
  defineRoute(app, routes.cancelErrand, async (req) => lifecycle.cancel(actorOf(req), req.params.id, req.body?.reason));
  defineRoute(app, routes.confirmErrand, async (req) => lifecycle.confirm(actorOf(req), req.params.id));
  defineRoute(app, routes.rateErrand, async (req) => lifecycle.rate(actorOf(req), req.params.id, req.body.stars, req.body.comment));

  // Helper steps.
  defineRoute(app, routes.acceptErrand, async (req) => acceptance.accept(actorOf(req), req.params.id));
  defineRoute(app, routes.declineErrand, async (req) => {
    await lifecycle.decline(actorOf(req), req.params.id);
    return ok;
  });
  defineRoute(app, routes.releaseErrand, async (req) => {
    await lifecycle.release(actorOf(req), req.params.id, req.body.reason);
    return ok;
  });
  defineRoute(app, routes.pickupErrand, async (req) => lifecycle.pickup(actorOf(req), req.params.id));
  defineRoute(app, routes.deliverErrand, async (req) =>
    lifecycle.deliver(actorOf(req), req.params.id, req.body.handoverCode, req.body.note),
  );
};
