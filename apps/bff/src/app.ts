import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type Redis from 'ioredis';
import type { DestinationStream } from 'pino';
import type { Config } from './config';
import type { ZodApp } from './http';
import { openDatabase } from './infra/db/orm';
import type { Database } from './infra/db/database';
import type { JobRunner } from './infra/jobs';
import { createRedis } from './infra/redis';
import { registerErrorHandling } from './plugins/errors';
import { registerDocs } from './plugins/docs';
import { registerStaticClient, registerStaticConsole } from './plugins/static-client';
import { HitCounter } from './plugins/hit-counter';
import { registerRateLimits } from './plugins/rate-limits';
import { buildServices } from './services';
import { registerRoutes } from './routes';
import { backgroundJobs } from './jobs';
import { seedDemoCommunity } from './modules/demo/seed';
import type { GeoIndex } from './modules/dispatch/geo-index';
import type { DeadlineSweeper } from './modules/dispatch/deadlines';
import { registerMetrics } from './modules/health/metrics';
import { OUTBOX_TOPIC } from './modules/live/outbox';
import type { OutboxRelay } from './modules/live/relay';
import type { LiveGateway } from './modules/live/gateway';
import type { NotificationFollower } from './modules/notifications/follower';
import type { NotificationSender } from './modules/notifications/sender';
import type { RetentionJob } from './modules/privacy/retention';
import type { PrincipalCache } from './modules/auth/principal-cache';

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
      jobs: JobRunner;
      sweeper: DeadlineSweeper;
      relay: OutboxRelay;
      gateway: LiveGateway;
      notificationPlanning: NotificationFollower;
      notifications: NotificationSender;
      retention: RetentionJob;
      principals: PrincipalCache;
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

/**
 * Builds the whole BFF from configuration and wires it: infrastructure here, services in
 * services.ts, background jobs in jobs.ts, then routes. Tests call it too.
 */
export async function buildApp({ config, now = Date.now, logStream }: BuildOptions): Promise<FastifyInstance> {
  const db = await openDatabase(config);
  // The demo module (seeding, dev login) exists only while dev login is on.
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

  const services = await buildServices(config, { db, redis, log: app.log, now });
  const { geo, gateway, relay, sweeper, notificationPlanning, notifications, retention, principals } = services;
  const jobs = backgroundJobs(config, services, app.log);
  const stopNudging = db.onCommit(OUTBOX_TOPIC, () => relay.nudge());
  app.decorate('linli', {
    config,
    db,
    redis,
    geo,
    jobs,
    sweeper,
    relay,
    gateway,
    notificationPlanning,
    notifications,
    retention,
    principals,
  });
  app.decorateRequest('user', null);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('preClose', async () => {
    await gateway.stop();
  });
  const rateCounter = config.rateLimit.enabled ? new HitCounter(redis, app.log) : null;
  app.addHook('onClose', async () => {
    stopNudging();
    await jobs.stop();
    await rateCounter?.close();
    await services.bus.close();
    await principals.close();
    await db.close();
    redis?.disconnect();
  });
  if (config.docs.enabled) await registerDocs(app);
  const servesClient = await registerStaticClient(app, config.server.staticDir);
  const consoleRoot = await registerStaticConsole(app, config.server.consoleDir, servesClient);
  registerErrorHandling(app, { clientFallback: servesClient, consoleRoot });
  if (rateCounter) {
    registerRateLimits(app, {
      counter: rateCounter,
      perIpPerMinute: config.rateLimit.perIpPerMinute,
      loginPerMinute: config.rateLimit.loginPerMinute,
      perUserPerMinute: config.rateLimit.perMinute,
    });
  }

  // First, so its response hook sees every route registered after it.
  if (config.metrics.enabled)
    registerMetrics(app, { db, now, gateway, relay, candidateSearches: services.candidateSearches }, config.metrics.token);
  const templates = config.notifications.templates;
  registerRoutes(app, services, {
    db,
    redis,
    readyTimeoutMs: config.health.readyTimeoutMs,
    authOptions: {
      devLogin: config.auth.devLogin,
      wechatLogin: config.wechat.appId !== null && config.wechat.appSecret !== null,
      websiteLogin: services.websiteLogin?.option() ?? null,
      subscribeTemplates: {
        offerCreated: templates.offerCreated.id,
        errandAccepted: templates.errandAccepted.id,
        errandDelivered: templates.errandDelivered.id,
      },
    },
  });
  await app.ready();
  await gateway.start();
  jobs.start();
  return app;
}
