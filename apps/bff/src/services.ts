import type { FastifyBaseLogger } from 'fastify';
import type Redis from 'ioredis';
import type { Config } from './config';
import type { Database } from './infra/db/database';
import { privacyNumberProviderFrom } from './infra/privacy-number/provider';
import { WechatClient } from './infra/wechat/client';
import { AuditService } from './modules/audit/service';
import { AuthService } from './modules/auth/service';
import { PrincipalCache, RedisPrincipalBroadcast } from './modules/auth/principal-cache';
import { WebsiteLogin } from './modules/auth/website-login';
import { RedisSpentStates, SqlSpentStates } from './modules/auth/website-states';
import { WebsiteOAuthClient } from './infra/wechat/website-oauth';
import { CareService } from './modules/care/service';
import { HouseholdRegistry } from './modules/community/registry';
import { CommunityService } from './modules/community/service';
import { DevLogin } from './modules/demo/dev-login';
import { DeadlineSweeper } from './modules/dispatch/deadlines';
import { RedisGeoIndex, ResilientGeoIndex, SqlGeoIndex, indexSnapshot, type GeoIndex } from './modules/dispatch/geo-index';
import { ErrandCalls } from './modules/errands/calls';
import { ErrandDispatcher } from './modules/errands/dispatching';
import { AcceptGate, offerChangesIn } from './modules/errands/accept-gate';
import { ErrandLifecycle } from './modules/errands/lifecycle';
import { ErrandAcceptance } from './modules/errands/acceptance';
import { StaffIntake } from './modules/errands/staff-intake';
import { HouseholdSearch } from './modules/community/household-search';
import { HouseholdList } from './modules/community/household-list';
import { ErrandCandidates } from './modules/staff/errand-candidates';
import { RepeatService } from './modules/errands/repeats';
import { ErrandService } from './modules/errands/service';
import { StatusCountCompactor } from './modules/errands/status-counts';
import { ExportService } from './modules/exports/service';
import { HelperService } from './modules/helpers/service';
import { ImportService } from './modules/imports/service';
import { InProcessBus, RedisBus, type EventBus } from './modules/live/bus';
import { LiveGateway } from './modules/live/gateway';
import { OutboxRelay } from './modules/live/relay';
import { socketBudget } from './modules/live/socket-budget';
import { NotificationFollower } from './modules/notifications/follower';
import { NotificationPlanner } from './modules/notifications/planner';
import { NotificationSender } from './modules/notifications/sender';
import { ScopeService } from './modules/oversight/scope';
import { OversightService } from './modules/oversight/service';
import { RetentionJob } from './modules/privacy/retention';
import { RecurrenceRunner } from './modules/recurrence/runner';
import { StaffQueueService } from './modules/staff/service';
import { StatsService } from './modules/stats/service';

/** What the services stand on; app.ts opens it. */
export interface Infra {
  db: Database;
  redis: Redis | null;
  log: FastifyBaseLogger;
  now: () => number;
}

export type Services = Awaited<ReturnType<typeof buildServices>>;

/**
 * Builds every service of the BFF, the one place where they are constructed and handed to each
 * other. Routes (app.ts) and background jobs (jobs.ts) only use what this returns; nothing here
 * starts running.
 */
export async function buildServices(config: Config, { db, redis, log, now }: Infra) {
  const sqlGeo = new SqlGeoIndex();
  const geo: GeoIndex = redis
    ? new ResilientGeoIndex(
        new RedisGeoIndex(redis),
        sqlGeo,
        redis,
        () => indexSnapshot(db),
        (err) => log.warn({ err }, 'geo index: Redis unavailable, using SQL'),
      )
    : sqlGeo;
  if (geo instanceof ResilientGeoIndex && redis?.status === 'ready') await geo.rebuild();

  // Who is behind each session, remembered per process. Changes reach the other instances over
  // Redis; without Redis only the embedded mode (one process, guaranteed) may remember: MySQL
  // without Redis may have other instances that a logout could not tell.
  const redisUrl = redis ? config.redis.url : null;
  const principals = new PrincipalCache(redisUrl || !config.db.url ? config.auth.principalCacheSeconds * 1000 : 0, now);
  if (redis && redisUrl) principals.connect(new RedisPrincipalBroadcast(redis, redisUrl, `${config.redis.keyPrefix}principals`));
  const community = new CommunityService(db, now, principals);
  const helpers = new HelperService(db, geo, config.dispatch.positionMaxAgeMinutes * 60_000, now, principals);
  const auth = new AuthService(db, new WechatClient(config.wechat), community, helpers, config.auth.sessionTtlHours, now, principals);
  const dispatcher = new ErrandDispatcher(geo, config.dispatch, now);
  const errands = new ErrandService(db, community, dispatcher, { ...config.errands, sla: config.sla }, now);
  const acceptGate = new AcceptGate(redis);
  const lifecycle = new ErrandLifecycle(db, dispatcher, helpers, now, config.errands);
  const acceptance = new ErrandAcceptance(db, now, acceptGate);
  const queue = new StaffQueueService(db, now, config.sla);
  const care = new CareService(
    db,
    errands,
    { missedAfterHours: config.care.missedAfterHours, missedBatch: config.care.recurrenceBatch },
    now,
  );
  const repeats = new RepeatService(db, errands, now);
  const recurrence = new RecurrenceRunner(
    db,
    { visit: care.onVisitDue, repeat_errand: repeats.onRepeatDue },
    { batch: config.care.recurrenceBatch, now, log },
  );
  const registry = new HouseholdRegistry(db, community, now);
  const calls = new ErrandCalls(
    db,
    privacyNumberProviderFrom(config.privacyNumber),
    {
      bindingMs: config.privacyNumber.bindingHours * 3_600_000,
      renewBeforeMs: 10 * 60_000,
      bindWaitMs: config.privacyNumber.timeoutMs + 1000,
      unbindBatch: 50,
      unbindBackoffBaseMs: 5_000,
      unbindBackoffMaxMs: 3_600_000,
    },
    now,
    log,
  );
  const sweeper = new DeadlineSweeper(db, (tx, d) => dispatcher.handleDeadline(tx, d), { batch: config.dispatch.sweepBatch, now, log });

  // Live events: one bus for every instance (Redis) or this process alone (embedded).
  const bus: EventBus =
    redis && config.redis.url ? new RedisBus(redis, config.redis.url, `${config.redis.keyPrefix}live-events`) : new InProcessBus();
  // Subscribe messages follow the numbered events with their own position, outside the relay's transaction.
  const notificationPlanning = new NotificationFollower(db, new NotificationPlanner({ config, now }), {
    batch: config.live.relayBatch,
    now,
    log,
  });
  const relay = new OutboxRelay(db, bus, {
    batch: config.live.relayBatch,
    retentionMs: config.live.retentionHours * 3_600_000,
    now,
    log,
    onRelayed: () => notificationPlanning.nudge(),
    beforePublish: (events) => acceptGate.offersChanged(offerChangesIn(events)),
  });
  const gateway = new LiveGateway(db, auth, bus, {
    replayLimit: config.live.replayLimit,
    heartbeatMs: config.live.heartbeatSeconds * 1000,
    helloTimeoutMs: config.live.helloTimeoutMs,
    tailCheckMs: config.live.tailCheckMs,
    maxSockets: socketBudget(config.live.maxSockets),
    maxSocketsPerSession: config.live.maxSocketsPerSession,
    maxSocketsPerUser: config.live.maxSocketsPerUser,
    log,
  });

  return {
    principals,
    geo,
    community,
    registry,
    helpers,
    auth,
    errands,
    lifecycle,
    acceptance,
    calls,
    repeats,
    queue,
    care,
    recurrence,
    statusCounts: new StatusCountCompactor(db),
    candidateSearches: dispatcher.searchTally,
    sweeper,
    bus,
    relay,
    gateway,
    notificationPlanning,
    notifications: new NotificationSender({ db, config, now, log }),
    retention: new RetentionJob(db, config.retention, now),
    scope: new ScopeService(db),
    oversight: new OversightService(db, queue),
    audit: new AuditService(db),
    stats: new StatsService(db, now),
    exports: new ExportService(db, now, { pageSize: config.lists.exportPageSize, wechatMaxLines: 100 }),
    imports: new ImportService(
      db,
      now,
      {
        maxBytes: config.lists.importMaxBytes,
        maxRows: config.lists.importMaxRows,
        batchMs: config.lists.importBatchHours * 3_600_000,
      },
      principals,
    ),
    householdSearch: new HouseholdSearch(db, community, now),
    householdList: new HouseholdList(db),
    intake: new StaffIntake(db, community, errands, now),
    candidates: new ErrandCandidates(db),
    /** Only when dev login is on: the demo module's login (modules/demo). */
    devLogin: config.auth.devLogin ? new DevLogin(db, auth, community, geo, now) : null,
    /** Only when configured: the desk console's WeChat QR login. */
    websiteLogin: websiteLoginOf(db, redis, auth, config, now),
  };
}

function websiteLoginOf(db: Database, redis: Redis | null, auth: AuthService, config: Config, now: () => number): WebsiteLogin | null {
  const { appId, appSecret, openBaseUrl, stateTtlSeconds } = config.wechat.website;
  if (!appId || !appSecret) return null;
  const oauth = new WebsiteOAuthClient({ apiBaseUrl: config.wechat.apiBaseUrl, appId, appSecret, timeoutMs: config.wechat.timeoutMs });
  // Spent states live where every instance sees them: Redis when there is one, else the database.
  const spent = redis ? new RedisSpentStates(redis, now) : new SqlSpentStates(db);
  return new WebsiteLogin(db, auth, oauth, spent, { openBaseUrl, stateTtlSeconds, appSecret }, now);
}
