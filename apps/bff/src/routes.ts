import type Redis from 'ioredis';
import type { ZodApp } from './http';
import type { Database } from './infra/db/database';
import type { AuditService } from './modules/audit/service';
import { auditRoutes } from './modules/audit/routes';
import { authRoutes, type AuthRouteOptions } from './modules/auth/routes';
import type { AuthService } from './modules/auth/service';
import type { CareService } from './modules/care/service';
import { careRoutes } from './modules/care/routes';
import type { HouseholdRegistry } from './modules/community/registry';
import { communityRoutes } from './modules/community/routes';
import type { CommunityService } from './modules/community/service';
import { callRoutes } from './modules/errands/call-routes';
import type { ErrandCalls } from './modules/errands/calls';
import type { ErrandLifecycle } from './modules/errands/lifecycle';
import { repeatRoutes } from './modules/errands/repeat-routes';
import type { RepeatService } from './modules/errands/repeats';
import { errandRoutes } from './modules/errands/routes';
import type { ErrandService } from './modules/errands/service';
import { exportRoutes } from './modules/exports/routes';
import type { ExportService } from './modules/exports/service';
import { healthRoutes } from './modules/health/routes';
import { helperRoutes } from './modules/helpers/routes';
import type { HelperService } from './modules/helpers/service';
import { importRoutes } from './modules/imports/routes';
import type { ImportService } from './modules/imports/service';
import type { LiveGateway } from './modules/live/gateway';
import { liveRoutes } from './modules/live/routes';
import { oversightRoutes } from './modules/oversight/routes';
import type { ScopeService } from './modules/oversight/scope';
import type { OversightService } from './modules/oversight/service';
import type { StaffQueueService } from './modules/staff/service';
import { staffRoutes } from './modules/staff/routes';
import { statsRoutes } from './modules/stats/routes';
import type { StatsService } from './modules/stats/service';

/** What the HTTP layer calls: built once by app.ts. */
export interface RouteServices {
  db: Database;
  redis: Redis | null;
  readyTimeoutMs: number;
  auth: AuthService;
  authOptions: AuthRouteOptions;
  community: CommunityService;
  registry: HouseholdRegistry;
  helpers: HelperService;
  errands: ErrandService;
  lifecycle: ErrandLifecycle;
  calls: ErrandCalls;
  repeats: RepeatService;
  queue: StaffQueueService;
  scope: ScopeService;
  oversight: OversightService;
  audit: AuditService;
  care: CareService;
  stats: StatsService;
  exportsService: ExportService;
  imports: ImportService;
  gateway: LiveGateway;
}

/**
 * Every module's routes, each a Fastify plugin serving its entries of the contracts route table
 * (`routes` in @linli/contracts); test/route-table.test.ts checks that the two match both ways.
 */
export function registerRoutes(app: ZodApp, s: RouteServices): void {
  void app.register(healthRoutes, { db: s.db, redis: s.redis, readyTimeoutMs: s.readyTimeoutMs });
  void app.register(authRoutes, { auth: s.auth, options: s.authOptions });
  void app.register(communityRoutes, { auth: s.auth, community: s.community, registry: s.registry });
  void app.register(helperRoutes, { auth: s.auth, helpers: s.helpers, errands: s.errands });
  void app.register(errandRoutes, { auth: s.auth, errands: s.errands, lifecycle: s.lifecycle });
  void app.register(callRoutes, { auth: s.auth, calls: s.calls });
  void app.register(repeatRoutes, { auth: s.auth, repeats: s.repeats });
  void app.register(staffRoutes, { auth: s.auth, queue: s.queue, lifecycle: s.lifecycle });
  void app.register(oversightRoutes, { auth: s.auth, scope: s.scope, oversight: s.oversight });
  void app.register(auditRoutes, { auth: s.auth, audit: s.audit });
  void app.register(careRoutes, { auth: s.auth, care: s.care });
  void app.register(statsRoutes, { auth: s.auth, stats: s.stats });
  void app.register(exportRoutes, { auth: s.auth, exportsService: s.exportsService });
  void app.register(importRoutes, { auth: s.auth, imports: s.imports });
  void app.register(liveRoutes, { gateway: s.gateway });
}
