import { z } from 'zod';
import { ErrandStatus } from './enums';

/**
 * The live channel, `GET /api/v1/ws` (brief §6). Events come from the BFF's transactional outbox;
 * `id` is the event's position in one dense, ever-growing sequence, so a client that remembers the
 * last id it saw can resume exactly where it left off and ignore any repeat.
 *
 * Client → server: first `hello` (with the session token unless the upgrade request carried an
 * `Authorization: Bearer` header, and the last event id seen, if any), then `ping` whenever it
 * wants to know the line is alive. Server → client: `welcome`, then events, then `pong` to pings.
 */
export const LIVE_EVENT_TYPES = ['errand.updated', 'offer.created', 'offer.withdrawn', 'queue.changed'] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

const eventId = z.number().int().min(1);
/** Epoch ms when the change was made (inside its transaction). */
const at = z.number().int();
const errandId = z.string().min(1).max(40);

export const LiveEvent = z.discriminatedUnion('type', [
  /** An errand of yours (as its household, requester or helper) changed status. */
  z.object({ type: z.literal('errand.updated'), id: eventId, at, errandId, status: ErrandStatus }),
  /** A helper was offered an errand: fetch GET /helper/offers. */
  z.object({ type: z.literal('offer.created'), id: eventId, at, errandId }),
  /** An offer to this helper closed (taken by another, cancelled, expired, assigned by staff). */
  z.object({ type: z.literal('offer.withdrawn'), id: eventId, at, errandId }),
  /** Staff: the open-errand queue of this community changed. */
  z.object({ type: z.literal('queue.changed'), id: eventId, at, communityId: z.number().int() }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const ClientHello = z.object({
  type: z.literal('hello'),
  token: z.string().min(20).max(200).optional(),
  lastEventId: z.number().int().min(0).optional(),
});
export const ClientPing = z.object({ type: z.literal('ping') });
export const ClientMessage = z.discriminatedUnion('type', [ClientHello, ClientPing]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/**
 * Sent once after `hello`. `lastEventId` is where delivery continues from: the client's own
 * `lastEventId` when resuming, or the current position for a fresh start. `resync` means the
 * client was away too long for a replay (or gave none): reload everything it shows, then carry on.
 */
export const ServerWelcome = z.object({ type: z.literal('welcome'), lastEventId: z.number().int().min(0), resync: z.boolean() });
export const ServerPong = z.object({ type: z.literal('pong') });
export const ServerMessage = z.union([LiveEvent, ServerWelcome, ServerPong]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Close codes (4000–4999 are the application's): the client should not retry 4401 without logging in again. */
export const LIVE_CLOSE = {
  unauthorized: 4401,
  badMessage: 4400,
  helloTimeout: 4408,
  /** This session or user already has as many live sockets as allowed: retry later (an old line may not be reaped yet). */
  tooManySockets: 4429,
  /** The server is shutting down or the client was too slow to read: reconnect and resume. */
  goingAway: 1001,
} as const;

/** How a client keeps its line: ask "are you there?" this often once welcomed, and give up on an answer after this long. */
export const LIVE_LINE_TIMING = { pingEveryMs: 25_000, answerWithinMs: 10_000 } as const;

/**
 * Delay before reconnect attempt `attempt` (0-based) after a failure: 1 s, 2 s, 4 s … at most 30 s,
 * each stretched by up to a fifth so that clients dropped together (a BFF restart) do not return in step.
 */
export function liveRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5)) * (1 + random() / 5);
}
