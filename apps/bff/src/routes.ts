import type Redis from 'ioredis';
import type { ZodApp } from './http';
import type { Database } from './infra/db/database';
import { auditRoutes } from './modules/audit/routes';
import { authRoutes, type AuthRouteOptions } from './modules/auth/routes';
import { websiteLoginRoutes } from './modules/auth/website-login-routes';
import { careRoutes } from './modules/care/routes';
import { communityRoutes } from './modules/community/routes';
import { callRoutes } from './modules/errands/call-routes';
import { repeatRoutes } from './modules/errands/repeat-routes';
import { errandRoutes } from './modules/errands/routes';
import { exportRoutes } from './modules/exports/routes';
import { healthRoutes } from './modules/health/routes';
import { helperRoutes } from './modules/helpers/routes';
import { importRoutes } from './modules/imports/routes';
import { liveRoutes } from './modules/live/routes';
import { demoRoutes } from './modules/demo/routes';
import type { Services } from './services';
import { oversightRoutes } from './modules/oversight/routes';
import { staffRoutes } from './modules/staff/routes';
import { errandCandidateRoutes } from './modules/staff/errand-candidates-routes';
import { householdSearchRoutes } from './modules/community/household-search-routes';
import { staffIntakeRoutes } from './modules/errands/staff-intake-routes';
import { statsRoutes } from './modules/stats/routes';

/** What the HTTP layer needs besides the services: infra for the health routes and what login offers. */
export interface RouteInfra {
  db: Database;
  redis: Redis | null;
  readyTimeoutMs: number;
  authOptions: AuthRouteOptions;
}

/**
 * Every module's routes, each a Fastify plugin serving its entries of the contracts route table
 * (`routes` in @linli/contracts); test/route-table.test.ts checks that the two match both ways.
 */
export function registerRoutes(app: ZodApp, s: Services, infra: RouteInfra): void {
  void app.register(healthRoutes, { db: infra.db, redis: infra.redis, readyTimeoutMs: infra.readyTimeoutMs });
  void app.register(authRoutes, { auth: s.auth, options: infra.authOptions });
  void app.register(websiteLoginRoutes, { websiteLogin: s.websiteLogin });
  if (s.devLogin) void app.register(demoRoutes, { devLogin: s.devLogin });
  void app.register(communityRoutes, { auth: s.auth, community: s.community, registry: s.registry });
  void app.register(helperRoutes, { auth: s.auth, helpers: s.helpers, errands: s.errands });
  void app.register(errandRoutes, { auth: s.auth, errands: s.errands, lifecycle: s.lifecycle, acceptance: s.acceptance });
  void app.register(callRoutes, { auth: s.auth, calls: s.calls });
  void app.register(repeatRoutes, { auth: s.auth, repeats: s.repeats });
  void app.register(staffRoutes, { auth: s.auth, queue: s.queue, lifecycle: s.lifecycle });
  // The desk console's hotline intake and assign dialog.
  void app.register(householdSearchRoutes, { auth: s.auth, search: s.householdSearch, list: s.householdList });
  void app.register(staffIntakeRoutes, { auth: s.auth, intake: s.intake });
  void app.register(errandCandidateRoutes, { auth: s.auth, candidates: s.candidates });
  void app.register(oversightRoutes, { auth: s.auth, scope: s.scope, oversight: s.oversight });
  void app.register(auditRoutes, { auth: s.auth, audit: s.audit });
  void app.register(careRoutes, { auth: s.auth, care: s.care });
  void app.register(statsRoutes, { auth: s.auth, stats: s.stats });
  void app.register(exportRoutes, { auth: s.auth, exportsService: s.exports });
  void app.register(importRoutes, { auth: s.auth, imports: s.imports });
  void app.register(liveRoutes, { gateway: s.gateway });
}
