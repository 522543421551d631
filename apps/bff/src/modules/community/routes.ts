import { z } from 'zod';
import {
  DutyPhoneBody,
  Id,
  ErrorBody,
  HouseholdChangeDecision,
  HouseholdChangeList,
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
import type { HouseholdRegistry } from './registry';
import type { CommunityService } from './service';

const NumericIdParams = z.object({ id: Id });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

export function communityRoutes(app: ZodApp, auth: AuthService, community: CommunityService, registry: HouseholdRegistry): void {
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
      { schema: { tags: ['community'], body: HouseholdInput, response: { 200: HouseholdView, ...errors } } },
      async (req) => community.registerHousehold(actorOf(req), req.body),
    );
    scope.put(
      '/api/v1/staff/compounds/:id/lockdown',
      { schema: { tags: ['staff'], params: CompoundIdParams, body: LockdownBody, response: { 200: Ok, ...errors } } },
      async (req) => {
        await community.setLockdown(actorOf(req), req.params.id, req.body.lockdown, req.body.reason);
        return { ok: true as const };
      },
    );
    scope.put(
      '/api/v1/staff/community',
      { schema: { tags: ['staff'], body: DutyPhoneBody, response: { 200: Ok, ...errors } } },
      async (req) => {
        await registry.setDutyPhone(actorOf(req), req.body.dutyPhone);
        return { ok: true as const };
      },
    );
    scope.put(
      '/api/v1/staff/households/:id',
      { schema: { tags: ['staff'], params: NumericIdParams, body: HouseholdInput, response: { 200: HouseholdView, ...errors } } },
      async (req) => registry.editHousehold(actorOf(req), req.params.id, req.body),
    );
    scope.get(
      '/api/v1/staff/household-changes',
      { schema: { tags: ['staff'], response: { 200: HouseholdChangeList, ...errors } } },
      async (req) => ({ items: await registry.pendingChanges(actorOf(req)) }),
    );
    scope.post(
      '/api/v1/staff/household-changes/:id',
      { schema: { tags: ['staff'], params: NumericIdParams, body: HouseholdChangeDecision, response: { 200: Ok, ...errors } } },
      async (req) => {
        await registry.decideChange(actorOf(req), req.params.id, req.body.approve);
        return { ok: true as const };
      },
    );
  });
}
