import { readFileSync, existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { SlaConfig } from '@linli/contracts';

/** The one place configuration is read: preset files in /config, then environment overrides. */
export const CONFIG_DIR = path.resolve(__dirname, '../../../config');
export const PRESETS = ['default', 'test', 'production'] as const;
export type Preset = (typeof PRESETS)[number];

/** The parts of a subscribe message the BFF can fill; each template maps some of them to its own data keys. */
export const MESSAGE_FIELDS = ['errand', 'place', 'urgency', 'helper', 'status', 'time', 'note'] as const;

const SubscribeTemplate = z.object({
  /** From the WeChat console (订阅消息 → 我的模板); null: this message is not sent. */
  id: z.string().min(1).max(128).nullable(),
  /** The mini-program page the message opens, no leading slash; `{errandId}` becomes the errand's public id. */
  page: z.string().regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*(\?[\w=&{}-]*)?$/, 'must be a mini-program page path'),
  /** Which of the template's data keys (thing1, time2, phrase3 …) carries each part. */
  keys: z.partialRecord(z.enum(MESSAGE_FIELDS), z.string().regex(/^[a-z_]+\d+$/, 'must be a template key such as thing1')),
});

const ConfigSchema = z
  .object({
    preset: z.enum(PRESETS),
    server: z.object({
      host: z.string().min(1),
      port: z.coerce.number().int().min(0).max(65535),
      bodyLimitBytes: z.coerce.number().int().min(1024).max(10_000_000),
      /**
       * Whose X-Forwarded-For to believe: false (the client's own address), or the addresses/CIDRs of
       * our own proxies. `true` believes anyone, so rate limits could be dodged by a made-up header.
       */
      trustProxy: z.union([z.boolean(), z.array(z.string().refine(isAddressOrCidr, 'must be an IP address or CIDR')).min(1)]),
      /** Built h5 client to serve at `/`, if any. */
      staticDir: z.string().nullable(),
      /** Built desk console (apps/console/dist) to serve at `/console/`, if any. */
      consoleDir: z.string().nullable(),
    }),
    cluster: z.object({
      /**
       * BFF processes serving one port in MySQL mode (node:cluster); 0 = one per core the process may
       * use. Set it explicitly where a CPU quota is smaller than the cores Node sees (containers).
       * The embedded SQLite mode always runs one process.
       */
      workers: z.coerce.number().int().min(0).max(64),
    }),
    log: z.object({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      pretty: z.boolean(),
      /** One line per request (with its request id); off for load tests. */
      requests: z.boolean(),
    }),
    db: z.object({
      /** mysql://user:pass@host:port/db — without it the BFF runs on embedded SQLite. */
      url: z
        .string()
        .regex(/^mysql:\/\//, 'must be a mysql:// URL')
        .nullable(),
      sqlitePath: z.string().min(1),
      poolMax: z.coerce.number().int().min(1).max(500),
      /** A new MySQL connection that has not finished its handshake by then is given up. */
      connectTimeoutMs: z.coerce.number().int().min(100).max(60_000),
      /** A statement waiting longer for a free pooled connection gets 503, not an endless wait. */
      acquireTimeoutMs: z.coerce.number().int().min(50).max(60_000),
      /** A statement running longer is abandoned (its connection is closed) and the request gets 503. */
      queryTimeoutMs: z.coerce.number().int().min(100).max(600_000),
      /** Statements that may wait for a connection at once; past it, 503 at once. */
      queueLimit: z.coerce.number().int().min(1).max(100_000),
      debug: z.boolean(),
    }),
    redis: z.object({
      url: z
        .string()
        .regex(/^rediss?:\/\//, 'must be a redis:// URL')
        .nullable(),
      keyPrefix: z.string(),
    }),
    auth: z.object({
      devLogin: z.boolean(),
      sessionTtlHours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 365),
    }),
    wechat: z.object({
      apiBaseUrl: z.url(),
      appId: z.string().min(1).nullable(),
      appSecret: z.string().min(1).nullable(),
      timeoutMs: z.coerce.number().int().min(100).max(60_000),
      /** An access token is refreshed this long before WeChat says it expires. */
      tokenRefreshMarginSeconds: z.coerce.number().int().min(0).max(3600),
      /**
       * The desk console's WeChat QR login (网站应用微信登录, an app of its own on open.weixin.qq.com):
       * appId and appSecret null = off. The code exchange goes to apiBaseUrl like code2Session.
       */
      website: z
        .object({
          appId: z.string().min(1).nullable(),
          appSecret: z.string().min(1).nullable(),
          /** Where browsers are sent for the QR page (tests point it at the stand-in). */
          openBaseUrl: z.url(),
          /** How long a state the BFF signed stays good: scanning and confirming takes a person a minute or two. */
          stateTtlSeconds: z.coerce.number().int().min(30).max(3600),
        })
        .refine((w) => (w.appId === null) === (w.appSecret === null), {
          message: 'set both wechat.website.appId and wechat.website.appSecret, or neither',
          path: ['appSecret'],
        }),
    }),
    /** 红黄蓝 tiers: hours per tier and the tier of each category (brief §9). */
    sla: SlaConfig,
    errands: z.object({
      idempotencyTtlHours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 7),
      listLimit: z.coerce.number().int().min(1).max(500),
      /** Open (not completed or cancelled) errands one household may have; staff acting for it are not held to it. */
      maxOpenPerHousehold: z.coerce.number().int().min(1).max(1_000_000),
      /** Wrong handover codes an errand takes before code entry stops and staff must confirm delivery. */
      maxWrongHandoverCodes: z.coerce.number().int().min(1).max(100),
    }),
    dispatch: z.object({
      /** K: helpers offered an errand at once. */
      offersPerRound: z.coerce.number().int().min(1).max(500),
      /** R1..R3: search radius of rounds 1, 2, 3 (later rounds keep the last). */
      radiiMeters: z.array(z.number().int().min(50).max(20_000)).min(1).max(5),
      /** N: rounds before an errand is escalated to staff. */
      rounds: z.coerce.number().int().min(1).max(10),
      offerWindowSeconds: z.coerce.number().int().min(5).max(3600),
      /** A round that found nobody is tried again this much later. */
      retryDelaySeconds: z.coerce.number().int().min(1).max(3600),
      /** Heavy goods above this floor without a lift need a helper who can carry them. */
      heavyFloorAbove: z.coerce.number().int().min(0).max(99),
      positionMaxAgeMinutes: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      autoConfirmHours: z.coerce
        .number()
        .min(0.01)
        .max(24 * 30),
      /** How often each instance's sweeper looks for due deadlines; 0 turns it off (tests drive it). */
      sweepIntervalMs: z.coerce.number().int().min(0).max(60_000),
      sweepBatch: z.coerce.number().int().min(1).max(10_000),
      weights: z.object({
        zone: z.number().min(0),
        distance: z.number().min(0),
        load: z.number().min(0),
        recentAssignment: z.number().min(0),
        rating: z.number().min(0),
        hoursOnDuty: z.number().min(0),
      }),
    }),
    live: z.object({
      /** How often each instance's relay looks for committed events nobody has published; 0 = only when nudged (tests). */
      relayIntervalMs: z.coerce.number().int().min(0).max(60_000),
      relayBatch: z.coerce.number().int().min(1).max(5000),
      /** How often a gateway with open sockets asks the database whether it missed events (pub/sub is not durable). */
      tailCheckMs: z.coerce.number().int().min(0).max(60_000),
      /** A socket that has not answered a ping for this long is closed. */
      heartbeatSeconds: z.coerce.number().int().min(1).max(600),
      helloTimeoutMs: z.coerce.number().int().min(100).max(120_000),
      /** A client that missed more of its own events than this reloads instead of replaying. */
      replayLimit: z.coerce.number().int().min(1).max(10_000),
      /** Published events are kept this long for replay, then deleted. */
      retentionHours: z.coerce
        .number()
        .min(0.01)
        .max(24 * 30),
      /** Sockets per instance; kept below the process's open-file limit with headroom (see gateway.ts). */
      maxSockets: z.coerce.number().int().min(1).max(1_000_000),
      /** Sockets one login (session) may hold open at once; the next is refused with 4429. */
      maxSocketsPerSession: z.coerce.number().int().min(1).max(1000),
      /** Sockets one user may hold open at once, over all their sessions. */
      maxSocketsPerUser: z.coerce.number().int().min(1).max(1000),
    }),
    notifications: z.object({
      /** How often each instance's sender looks for due subscribe messages; 0 turns it off (tests drive it). */
      sendIntervalMs: z.coerce.number().int().min(0).max(60_000),
      batch: z.coerce.number().int().min(1).max(1000),
      /** Sends tried before a message is given up as failed. */
      maxAttempts: z.coerce.number().int().min(1).max(50),
      backoffBaseMs: z.coerce.number().int().min(100).max(3_600_000),
      backoffMaxMs: z.coerce.number().int().min(100).max(86_400_000),
      /** A claimed message is left alone by other senders this long: keep it well above two WeChat timeouts. */
      leaseMs: z.coerce.number().int().min(1000).max(3_600_000),
      /** Which build a message opens: developer, trial (体验版) or formal (正式版). */
      miniprogramState: z.enum(['developer', 'trial', 'formal']),
      templates: z.object({
        offerCreated: SubscribeTemplate,
        errandAccepted: SubscribeTemplate,
        errandDelivered: SubscribeTemplate,
      }),
    }),
    privacyNumber: z.object({
      /** The AXB provider's API (see infra/privacy-number/provider.ts); null: calls go to the community duty phone. */
      baseUrl: z.url().nullable(),
      appKey: z.string().min(1).nullable(),
      appSecret: z.string().min(1).nullable(),
      timeoutMs: z.coerce.number().int().min(100).max(30_000),
      /** A binding's life at the provider; it is ended sooner when its errand closes. */
      bindingHours: z.coerce.number().min(0.1).max(72),
    }),
    metrics: z.object({
      enabled: z.boolean(),
      /** Scrapers send it as a bearer token; null = open (keep /metrics off the public ingress then). */
      token: z
        .string()
        .regex(/^[A-Za-z0-9_-]{20,200}$/, 'must be 20–200 letters, digits, - or _')
        .nullable(),
    }),
    retention: z.object({
      errandDays: z.coerce.number().min(1).max(3650),
      notificationDays: z.coerce.number().min(1).max(3650),
      intervalMinutes: z.coerce
        .number()
        .min(0)
        .max(24 * 60),
    }),
    rateLimit: z.object({
      enabled: z.boolean(),
      /** Per verified user (after the session lookup). */
      perMinute: z.coerce.number().int().min(1),
      /** Per client address, before authentication; generous, as many homes share one carrier NAT address. */
      perIpPerMinute: z.coerce.number().int().min(1),
      /** Login attempts (WeChat and dev) per client address. */
      loginPerMinute: z.coerce.number().int().min(1),
    }),
    docs: z.object({
      /** Serve the OpenAPI UI at /docs and the document at /docs/json. */
      enabled: z.boolean(),
    }),
    health: z.object({
      /** /readyz answers "down" when the database has not answered within this. */
      readyTimeoutMs: z.coerce.number().int().min(50).max(30_000),
    }),
    seed: z.object({ demoCommunity: z.boolean() }),
    care: z.object({
      /** A 包保 visit not recorded this long after it fell due is missed: overdue to staff. */
      missedAfterHours: z.coerce
        .number()
        .min(1)
        .max(24 * 30),
      /** Recurring tasks (visits, repeated errands) read per round of a recurrence pass. */
      recurrenceBatch: z.coerce.number().int().min(1).max(10_000),
    }),
    /** Lists in and out (modules/exports, modules/imports). */
    lists: z
      .object({
        /** Rows per keyset page of an export: one short query, one chunk sent. */
        exportPageSize: z.coerce.number().int().min(1).max(10_000).default(1000),
        importMaxBytes: z.coerce
          .number()
          .int()
          .min(1024)
          .max(50 * 2 ** 20)
          .default(5 * 2 ** 20),
        importMaxRows: z.coerce.number().int().min(1).max(100_000).default(20_000),
        /** An uploaded batch not committed within this is discarded. */
        importBatchHours: z.coerce
          .number()
          .min(0.01)
          .max(24 * 7)
          .default(24),
      })
      .default({ exportPageSize: 1000, importMaxBytes: 5 * 2 ** 20, importMaxRows: 20_000, importBatchHours: 24 }),
  })
  .superRefine((c, ctx) => {
    if (c.preset !== 'production') return;
    const need = (ok: boolean, key: string, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: key.split('.'), message });
    };
    need(!c.auth.devLogin, 'auth.devLogin', 'dev login must be off in production');
    need(c.db.url !== null, 'db.url', 'production needs MySQL (DATABASE_URL)');
    need(c.redis.url !== null, 'redis.url', 'production needs Redis (REDIS_URL)');
    need(c.wechat.appId !== null && c.wechat.appSecret !== null, 'wechat.appId', 'production needs WECHAT_APP_ID and WECHAT_APP_SECRET');
    need(!c.seed.demoCommunity, 'seed.demoCommunity', 'production never seeds demo data');
    need(
      !c.metrics.enabled || c.metrics.token !== null,
      'metrics.token',
      'production needs METRICS_TOKEN (or metrics.enabled false): /metrics must not be open',
    );
    need(c.server.trustProxy !== true, 'server.trustProxy', 'trust only your proxies: TRUST_PROXY=10.0.0.1,10.0.0.2 (addresses or CIDRs)');
  });

export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables that override a config key, and how to read them. */
const ENV_KEYS: Record<string, { key: string; type?: 'boolean' | 'list' }> = {
  HOST: { key: 'server.host' },
  PORT: { key: 'server.port' },
  STATIC_DIR: { key: 'server.staticDir' },
  CONSOLE_DIR: { key: 'server.consoleDir' },
  CLUSTER_WORKERS: { key: 'cluster.workers' },
  TRUST_PROXY: { key: 'server.trustProxy', type: 'list' },
  DOCS_ENABLED: { key: 'docs.enabled', type: 'boolean' },
  LOG_LEVEL: { key: 'log.level' },
  LOG_PRETTY: { key: 'log.pretty', type: 'boolean' },
  LOG_REQUESTS: { key: 'log.requests', type: 'boolean' },
  DATABASE_URL: { key: 'db.url' },
  SQLITE_PATH: { key: 'db.sqlitePath' },
  DB_POOL_MAX: { key: 'db.poolMax' },
  DB_QUERY_TIMEOUT_MS: { key: 'db.queryTimeoutMs' },
  DB_ACQUIRE_TIMEOUT_MS: { key: 'db.acquireTimeoutMs' },
  REDIS_URL: { key: 'redis.url' },
  REDIS_KEY_PREFIX: { key: 'redis.keyPrefix' },
  DEV_LOGIN: { key: 'auth.devLogin', type: 'boolean' },
  SESSION_TTL_HOURS: { key: 'auth.sessionTtlHours' },
  WECHAT_API_BASE_URL: { key: 'wechat.apiBaseUrl' },
  WECHAT_APP_ID: { key: 'wechat.appId' },
  WECHAT_APP_SECRET: { key: 'wechat.appSecret' },
  WECHAT_WEBSITE_APP_ID: { key: 'wechat.website.appId' },
  WECHAT_WEBSITE_APP_SECRET: { key: 'wechat.website.appSecret' },
  WECHAT_OPEN_BASE_URL: { key: 'wechat.website.openBaseUrl' },
  OFFER_WINDOW_SECONDS: { key: 'dispatch.offerWindowSeconds' },
  OFFERS_PER_ROUND: { key: 'dispatch.offersPerRound' },
  SWEEP_INTERVAL_MS: { key: 'dispatch.sweepIntervalMs' },
  RELAY_INTERVAL_MS: { key: 'live.relayIntervalMs' },
  LIVE_MAX_SOCKETS: { key: 'live.maxSockets' },
  METRICS_TOKEN: { key: 'metrics.token' },
  PRIVACY_NUMBER_BASE_URL: { key: 'privacyNumber.baseUrl' },
  PRIVACY_NUMBER_APP_KEY: { key: 'privacyNumber.appKey' },
  PRIVACY_NUMBER_APP_SECRET: { key: 'privacyNumber.appSecret' },
  RETENTION_ERRAND_DAYS: { key: 'retention.errandDays' },
  RATE_LIMIT_PER_MINUTE: { key: 'rateLimit.perMinute' },
  ERRANDS_MAX_OPEN_PER_HOUSEHOLD: { key: 'errands.maxOpenPerHousehold' },
  RATE_LIMIT_PER_IP_PER_MINUTE: { key: 'rateLimit.perIpPerMinute' },
  RATE_LIMIT_LOGIN_PER_MINUTE: { key: 'rateLimit.loginPerMinute' },
  NOTIFY_SEND_INTERVAL_MS: { key: 'notifications.sendIntervalMs' },
  WECHAT_MINIPROGRAM_STATE: { key: 'notifications.miniprogramState' },
  WECHAT_TEMPLATE_OFFER_CREATED: { key: 'notifications.templates.offerCreated.id' },
  WECHAT_TEMPLATE_ERRAND_ACCEPTED: { key: 'notifications.templates.errandAccepted.id' },
  WECHAT_TEMPLATE_ERRAND_DELIVERED: { key: 'notifications.templates.errandDelivered.id' },
  SEED_DEMO: { key: 'seed.demoCommunity', type: 'boolean' },
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Tree = Record<string, unknown>;

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? merge(b as Tree, v as Tree) : v;
  }
  return out;
}

function setPath(tree: Tree, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = tree;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Tree;
  node[keys[keys.length - 1]!] = value;
}

function readPreset(name: string): Tree {
  const file = path.join(CONFIG_DIR, `${name}.json`);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Tree;
}

function parseBoolean(envName: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`Invalid configuration: ${envName}=${JSON.stringify(raw)} must be true or false`);
}

/** "false" (or "off", "no", "0") is false; anything else a comma-separated list. */
function parseList(raw: string): string[] | false {
  if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function isAddressOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * What start-up must shout when this is not a real deployment: dev login lets anyone in as any
 * role, staff included, and the default preset seeds made-up households.
 */
export function demoModeWarning(c: Config): string | null {
  if (!c.auth.devLogin && c.preset !== 'default') return null;
  const parts = [
    `DEMO MODE (preset ${c.preset}): not for real households.`,
    c.auth.devLogin ? 'Dev login is ON: anyone who reaches this server can log in as any resident, helper or STAFF member.' : null,
    c.seed.demoCommunity ? 'Demo data is seeded.' : null,
    'For a deployment set LINLI_CONFIG=production.',
  ];
  return parts.filter(Boolean).join(' ');
}

export function choosePreset(env: NodeJS.ProcessEnv): Preset {
  const named = env.LINLI_CONFIG ?? (env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'default');
  if (!(PRESETS as readonly string[]).includes(named)) {
    throw new ConfigError(`Invalid configuration: LINLI_CONFIG=${named} is not one of ${PRESETS.join(', ')}`);
  }
  return named as Preset;
}

/**
 * Builds the configuration from the default preset, the chosen preset, environment variables and
 * (for tests) explicit overrides, and validates it. A bad value throws a ConfigError naming the key.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Tree = {}): Config {
  const preset = choosePreset(env);
  let tree = merge(readPreset('default'), preset === 'default' ? {} : readPreset(preset));
  const fromEnv: Record<string, string> = {};
  for (const [name, { key, type }] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(tree, key, type === 'boolean' ? parseBoolean(name, raw) : type === 'list' ? parseList(raw) : raw);
    fromEnv[key] = name;
  }
  tree = merge(tree, overrides);
  tree.preset = preset;
  const result = ConfigSchema.safeParse(tree);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = i.path.join('.');
      const source = fromEnv[key] ? ` (from ${fromEnv[key]})` : '';
      return `  ${key}${source}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration (preset ${preset}):\n${lines.join('\n')}`);
  }
  return result.data;
}
