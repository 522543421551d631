import { z } from 'zod';

// Live events: the outbox relay, the gateways' sockets and replay.

export const LiveSection = z.object({
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
});
