import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { RepeatService } from './repeats';

/** Residents' repeated errands (weekly water). */
export const repeatRoutes: RoutePlugin<{ auth: AuthService; repeats: RepeatService }> = async (app, { auth, repeats }) => {
  requireSession(app, auth);
  defineRoute(app, routes.repeatErrand, async (req, reply) =>
    reply.status(201).send(await repeats.repeat(actorOf(req), req.params.id, req.body.everyDays)),
  );
  defineRoute(app, routes.myRepeats, async (req) => ({ items: await repeats.list(actorOf(req)) }));
  defineRoute(app, routes.stopRepeat, async (req) => {
    await repeats.stop(actorOf(req), req.params.id);
    return { ok: true as const };
  });
};
