import { AssignCandidateList, ErrandIdParams, ErrorBody } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { ErrandCandidates } from './errand-candidates';

/** The board's assign dialog: whom an errand can go to, with zone, distance, load and heavy carrying. */
export function errandCandidateRoutes(app: ZodApp, auth: AuthService, candidates: ErrandCandidates): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get(
      '/api/v1/staff/errands/:id/candidates',
      {
        schema: {
          tags: ['staff'],
          params: ErrandIdParams,
          response: { 200: AssignCandidateList, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => candidates.list(actorOf(req), req.params.id),
    );
  });
}
