import { routes } from '@linli/contracts';
import { defineRoute, type RoutePlugin } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandCandidates } from './errand-candidates';

/** The board's assign dialog: whom an errand can go to, with zone, distance, load and heavy carrying. */
export const errandCandidateRoutes: RoutePlugin<{ auth: AuthService; candidates: ErrandCandidates }> = async (
  app,
  { auth, candidates },
) => {
  requireSession(app, auth);
  defineRoute(app, routes.errandCandidates, async (req) => candidates.list(actorOf(req), req.params.id));
};
