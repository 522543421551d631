import { z } from 'zod';

// Where data lives (MySQL or the embedded SQLite file, Redis), how long personal data is kept, and
// whether the demo community is seeded.

export const DbSection = z.object({
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
});

export const RedisSection = z.object({
  url: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .nullable(),
  keyPrefix: z.string(),
});

export const RetentionSection = z.object({
  errandDays: z.coerce.number().min(1).max(3650),
  notificationDays: z.coerce.number().min(1).max(3650),
  intervalMinutes: z.coerce
    .number()
    .min(0)
    .max(24 * 60),
});

export const SeedSection = z.object({ demoCommunity: z.boolean() });
