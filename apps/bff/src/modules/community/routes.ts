import {
  CommunityIdParams,
  CommunityList,
  CompoundIdParams,
  CompoundList,
  HouseholdInput,
  HouseholdView,
  LockdownBody,
  Ok,
} from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { CommunityService } from './service';

export function communityRoutes(app: ZodApp, auth: AuthService, community: CommunityService): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.get('/api/v1/communities', { schema: { tags: ['community'], response: { 200: CommunityList } } }, async () => ({
      items: await community.listCommunities(),
    }));
    scope.get(
      '/api/v1/communities/:id/compounds',
      { schema: { tags: ['community'], params: CommunityIdParams, response: { 200: CompoundList } } },
      async (req) => ({ items: await community.listCompounds(req.params.id) }),
    );
    scope.put(
      '/api/v1/me/household',
      { schema: { tags: ['community'], body: HouseholdInput, response: { 200: HouseholdView } } },
      async (req) => community.registerHousehold(actorOf(req), req.body),
    );
    scope.put(
      '/api/v1/staff/compounds/:id/lockdown',
      { schema: { tags: ['staff'], params: CompoundIdParams, body: LockdownBody, response: { 200: Ok } } },
      async (req) => {
        await community.setLockdown(actorOf(req), req.params.id, req.body.lockdown);
        return { ok: true as const };
      },
    );
  });
}
