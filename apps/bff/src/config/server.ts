import { isIP } from 'node:net';
import { z } from 'zod';

// The HTTP server and the process: where it listens, whom it trusts, logging, sessions, rate
// limits, and the docs, health and metrics endpoints.

function isAddressOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

export const ServerSection = z.object({
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
});

export const ClusterSection = z.object({
  /**
   * BFF processes serving one port in MySQL mode (node:cluster); 0 = one per core the process may
   * use. Set it explicitly where a CPU quota is smaller than the cores Node sees (containers).
   * The embedded SQLite mode always runs one process.
   */
  workers: z.coerce.number().int().min(0).max(64),
});

export const LogSection = z.object({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  pretty: z.boolean(),
  /** One line per request (with its request id); off for load tests. */
  requests: z.boolean(),
});

export const AuthSection = z.object({
  devLogin: z.boolean(),
  sessionTtlHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365),
  /**
   * How long each process may remember who is behind a session token without reading it again.
   * Changes made through the BFF reach every process at once (Redis pub/sub); this bounds the
   * rest (a lost message, SQL by hand). 0 reads the session on every request.
   */
  principalCacheSeconds: z.coerce.number().int().min(0).max(300),
});

export const RateLimitSection = z.object({
  enabled: z.boolean(),
  /** Per verified user (after the session lookup). */
  perMinute: z.coerce.number().int().min(1),
  /** Per client address, before authentication; generous, as many homes share one carrier NAT address. */
  perIpPerMinute: z.coerce.number().int().min(1),
  /** Login attempts (WeChat and dev) per client address. */
  loginPerMinute: z.coerce.number().int().min(1),
});

export const DocsSection = z.object({
  /** Serve the OpenAPI UI at /docs and the document at /docs/json. */
  enabled: z.boolean(),
});

export const HealthSection = z.object({
  /** /readyz answers "down" when the database has not answered within this. */
  readyTimeoutMs: z.coerce.number().int().min(50).max(30_000),
});

export const MetricsSection = z.object({
  enabled: z.boolean(),
  /** Scrapers send it as a bearer token; null = open (keep /metrics off the public ingress then). */
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,200}$/, 'must be 20–200 letters, digits, - or _')
    .nullable(),
});
