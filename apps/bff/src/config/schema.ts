import { z } from 'zod';
import { SlaConfig } from '@linli/contracts';
import { CareSection, DispatchSection, ErrandsSection, ListsSection } from './errands';
import { LiveSection } from './live';
import {
  AuthSection,
  ClusterSection,
  DocsSection,
  HealthSection,
  LogSection,
  MetricsSection,
  RateLimitSection,
  ServerSection,
} from './server';
import { DbSection, RedisSection, RetentionSection, SeedSection } from './storage';
import { NotificationsSection, PrivacyNumberSection, WechatSection } from './wechat';

// The whole configuration's schema, one section per key (the sections' files say what each holds),
// and what production refuses.

export const PRESETS = ['default', 'test', 'production'] as const;
export type Preset = (typeof PRESETS)[number];

export const ConfigSchema = z
  .object({
    preset: z.enum(PRESETS),
    server: ServerSection,
    cluster: ClusterSection,
    log: LogSection,
    db: DbSection,
    redis: RedisSection,
    auth: AuthSection,
    wechat: WechatSection,
    /** 红黄蓝 tiers: hours per tier and the tier of each category (brief §9). */
    sla: SlaConfig,
    errands: ErrandsSection,
    dispatch: DispatchSection,
    live: LiveSection,
    notifications: NotificationsSection,
    privacyNumber: PrivacyNumberSection,
    metrics: MetricsSection,
    retention: RetentionSection,
    rateLimit: RateLimitSection,
    docs: DocsSection,
    health: HealthSection,
    seed: SeedSection,
    care: CareSection,
    lists: ListsSection,
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
