import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type Redis from 'ioredis';
import type { DestinationStream } from 'pino';
import type { Config } from './config';
import type { ZodApp } from './http';
import { openDatabase } from './infra/db/orm';
import type { Database } from './infra/db/database';
import { seedDemoCommunity } from './infra/db/seed';
import { createRedis } from './infra/redis';
import { WechatClient } from './infra/wechat/client';
import { registerErrorHandling } from './plugins/errors';
import { registerDocs } from './plugins/docs';
import { registerStaticClient, registerStaticConsole } from './plugins/static-client';
import { HouseholdSearch } from './modules/community/household-search';
import { householdSearchRoutes } from './modules/community/household-search-routes';
import { StaffIntake } from './modules/errands/staff-intake';
import { staffIntakeRoutes } from './modules/errands/staff-intake-routes';
import { ErrandCandidates } from './modules/staff/errand-candidates';
import { errandCandidateRoutes } from './modules/staff/errand-candidates-routes';
import { LocalHitCounter, registerRateLimits, ResilientHitCounter } from './plugins/rate-limits';
import { AuthService } from './modules/auth/service';
import { authRoutes } from './modules/auth/routes';
import { CommunityService } from './modules/community/service';
import { communityRoutes } from './modules/community/routes';
import { HelperService } from './modules/helpers/service';
import { helperRoutes } from './modules/helpers/routes';
import { DeadlineSweeper } from './modules/dispatch/deadlines';
import { RedisGeoIndex, ResilientGeoIndex, SqlGeoIndex, indexSnapshot, type GeoIndex } from './modules/dispatch/geo-index';
import { ErrandDispatcher } from './modules/errands/dispatching';
import { ErrandService } from './modules/errands/service';
import { ErrandLifecycle } from './modules/errands/lifecycle';
import { errandRoutes } from './modules/errands/routes';
import { ErrandCalls } from './modules/errands/calls';
import { callRoutes } from './modules/errands/call-routes';
import { HouseholdRegistry } from './modules/community/registry';
import { privacyNumberProviderFrom } from './infra/privacy-number/provider';
import { StaffQueueService } from './modules/staff/service';
import { StatusCountCompactor } from './modules/errands/status-counts';
import { staffRoutes } from './modules/staff/routes';
import { healthRoutes } from './modules/health/routes';
import { registerMetrics } from './modules/health/metrics';
import { InProcessBus, RedisBus, type EventBus } from './modules/live/bus';
import { OUTBOX_TOPIC } from './modules/live/outbox';
import { OutboxRelay } from './modules/live/relay';
import { LiveGateway } from './modules/live/gateway';
import { socketBudget } from './modules/live/socket-budget';
import { liveRoutes } from './modules/live/routes';
import { NotificationPlanner } from './modules/notifications/planner';
import { NotificationSender } from './modules/notifications/sender';
import { RetentionJob } from './modules/privacy/retention';
import { ScopeService } from './modules/oversight/scope';
import { oversightRoutes } from './modules/oversight/routes';
import { OversightService } from './modules/oversight/service';
import { AuditService } from './modules/audit/service';
import { auditRoutes } from './modules/audit/routes';
import { CareService } from './modules/care/service';
import { careRoutes } from './modules/care/routes';
import { RecurrenceRunner } from './modules/recurrence/runner';
import { RepeatService } from './modules/errands/repeats';
import { repeatRoutes } from './modules/errands/repeat-routes';
import { StatsService } from './modules/stats/service';
import { statsRoutes } from './modules/stats/routes';
import { ExportService } from './modules/exports/service';
import { exportRoutes } from './modules/exports/routes';
import { ImportService } from './modules/imports/service';
import { importRoutes } from './modules/imports/routes';

export interface BuildOptions {
  config: Config;
  /** Clock in epoch ms; tests may move it. */
  now?: () => number;
  /** Where logs go (tests capture them). */
  logStream?: DestinationStream;
}

declare module 'fastify' {
  interface FastifyInstance {
    linli: {
      config: Config;
      db: Database;
      redis: Redis | null;
      geo: GeoIndex;
      sweeper: DeadlineSweeper;
      relay: OutboxRelay;
      gateway: LiveGateway;
      notifications: NotificationSender;
      retention: RetentionJob;
    };
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

async function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

/** Builds the whole BFF from configuration: infrastructure, services, routes. Tests call it too. */
export async function buildApp({ config, now = Date.now, logStream }: BuildOptions): Promise<FastifyInstance> {
  const db = await openDatabase(config);
  if (config.seed.demoCommunity && config.auth.devLogin) await seedDemoCommunity(db, now());
  const redis = config.redis.url ? createRedis(config.redis.url, config.redis.keyPrefix) : null;
  redis?.on('error', () => undefined); // reported through /readyz; ioredis reconnects by itself
  if (redis) await waitForRedis(redis, 2000);

  const app = Fastify({
    logger: {
      level: config.log.level,
      redact: ['req.headers.authorization', '*.session_key', '*.sessionKey', '*.token'],
      ...(logStream ? { stream: logStream } : config.log.pretty ? { transport: { target: 'pino-pretty' } } : {}),
    },
    logController: new LogController({ disableRequestLogging: !config.log.requests }),
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    // A client's x-request-id is kept only when it is a plain token (it is echoed and logged);
    // anything else gets an id of our own.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>() as ZodApp;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const sqlGeo = new SqlGeoIndex();
  const geo: GeoIndex = redis
    ? new ResilientGeoIndex(
        new RedisGeoIndex(redis),
        sqlGeo,
        redis,
        () => indexSnapshot(db),
        (err) => app.log.warn({ err }, 'geo index: Redis unavailable, using SQL'),
      )
    : sqlGeo;
  if (geo instanceof ResilientGeoIndex && redis?.status === 'ready') await geo.rebuild();
  const community = new CommunityService(db, now);
  const helpers = new HelperService(db, geo, config.dispatch.positionMaxAgeMinutes * 60_000, now);
  const auth = new AuthService(db, new WechatClient(config.wechat), community, helpers, config.auth.sessionTtlHours, now);
  const dispatcher = new ErrandDispatcher(geo, config.dispatch, now);
  const errands = new ErrandService(db, community, dispatcher, { ...config.errands, sla: config.sla }, now);
  const lifecycle = new ErrandLifecycle(db, dispatcher, helpers, now, config.errands);
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
    { batch: config.care.recurrenceBatch, now, log: app.log },
  );
  const statusCounts = new StatusCountCompactor(db);
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
    app.log,
  );
  const sweeper = new DeadlineSweeper(db, (tx, d) => dispatcher.handleDeadline(tx, d), {
    batch: config.dispatch.sweepBatch,
    intervalMs: config.dispatch.sweepIntervalMs,
    now,
    log: app.log,
    onPass: async () => {
      await helpers.refreshStalePositions();
      await calls.releaseBindings();
      await statusCounts.compact();
      await recurrence.runDue();
      await care.markMissed();
    },
  });

  // Live events: one bus for every instance (Redis) or this process alone (embedded).
  const bus: EventBus =
    redis && config.redis.url ? new RedisBus(redis, config.redis.url, `${config.redis.keyPrefix}live-events`) : new InProcessBus();
  const relay = new OutboxRelay(db, bus, {
    batch: config.live.relayBatch,
    intervalMs: config.live.relayIntervalMs,
    retentionMs: config.live.retentionHours * 3_600_000,
    now,
    log: app.log,
    // Subscribe messages are planned from the events, in the same transaction that numbers them.
    onSequenced: new NotificationPlanner({ config, now }).onSequenced,
  });
  const notifications = new NotificationSender({ db, config, now, log: app.log });
  const retention = new RetentionJob(db, config.retention, now, app.log);
  const stopNudging = db.onCommit(OUTBOX_TOPIC, () => relay.nudge());
  const gateway = new LiveGateway(db, auth, bus, {
    replayLimit: config.live.replayLimit,
    heartbeatMs: config.live.heartbeatSeconds * 1000,
    helloTimeoutMs: config.live.helloTimeoutMs,
    tailCheckMs: config.live.tailCheckMs,
    maxSockets: socketBudget(config.live.maxSockets),
    maxSocketsPerSession: config.live.maxSocketsPerSession,
    maxSocketsPerUser: config.live.maxSocketsPerUser,
    log: app.log,
  });

  app.decorate('linli', { config, db, redis, geo, sweeper, relay, gateway, notifications, retention });
  app.decorateRequest('user', null);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('preClose', async () => {
    await gateway.stop();
  });
  app.addHook('onClose', async () => {
    stopNudging();
    await relay.stop();
    await notifications.stop();
    retention.stop();
    await bus.close();
    await sweeper.stop();
    await db.close();
    redis?.disconnect();
  });
  if (config.docs.enabled) await registerDocs(app);
  const servesClient = await registerStaticClient(app, config.server.staticDir);
  const consoleRoot = await registerStaticConsole(app, config.server.consoleDir, servesClient);
  registerErrorHandling(app, { clientFallback: servesClient, consoleRoot });
  if (config.rateLimit.enabled) {
    const local = new LocalHitCounter();
    registerRateLimits(app, {
      counter: redis ? new ResilientHitCounter(redis, local, app.log) : local,
      perIpPerMinute: config.rateLimit.perIpPerMinute,
      loginPerMinute: config.rateLimit.loginPerMinute,
      perUserPerMinute: config.rateLimit.perMinute,
    });
  }

  // First, so its response hook sees every route registered after it.
  if (config.metrics.enabled) registerMetrics(app, { db, now, gateway, relay }, config.metrics.token);
  healthRoutes(app, db, redis, config.health.readyTimeoutMs);
  const templates = config.notifications.templates;
  authRoutes(app, auth, {
    devLogin: config.auth.devLogin,
    wechatLogin: config.wechat.appId !== null && config.wechat.appSecret !== null,
    subscribeTemplates: {
      offerCreated: templates.offerCreated.id,
      errandAccepted: templates.errandAccepted.id,
      errandDelivered: templates.errandDelivered.id,
    },
  });
  communityRoutes(app, auth, community, registry);
  helperRoutes(app, auth, helpers, errands);
  errandRoutes(app, auth, errands, lifecycle);
  callRoutes(app, auth, calls);
  staffRoutes(app, auth, queue, lifecycle);
  // The desk console's hotline intake and assign dialog (issue 12).
  householdSearchRoutes(app, auth, new HouseholdSearch(db, community, now));
  staffIntakeRoutes(app, auth, new StaffIntake(db, community, errands, now));
  errandCandidateRoutes(app, auth, new ErrandCandidates(db));
  oversightRoutes(app, auth, new ScopeService(db), new OversightService(db, queue));
  auditRoutes(app, auth, new AuditService(db));
  careRoutes(app, auth, care);
  repeatRoutes(app, auth, repeats);
  statsRoutes(app, auth, new StatsService(db, now));
  exportRoutes(app, auth, new ExportService(db, now, { pageSize: config.lists.exportPageSize, wechatMaxLines: 100 }));
  importRoutes(
    app,
    auth,
    new ImportService(db, now, {
      maxBytes: config.lists.importMaxBytes,
      maxRows: config.lists.importMaxRows,
      batchMs: config.lists.importBatchHours * 3_600_000,
    }),
  );
  await liveRoutes(app, gateway);
  await app.ready();
  await gateway.start();
  sweeper.start();
  relay.start();
  notifications.start();
  retention.start();
  void relay.runOnce().catch((err: unknown) => app.log.error({ err }, 'outbox relay pass failed'));
  return app;
}
