import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../infra/db/database';
import type { EventBus } from './bus';
import type { SequencedEvent } from './domain';
import { sequencedEventsAfter, sequencePosition } from './sequence-store';

/** Out-of-order batches (two instances relaying at once) usually fill a gap within this. */
const GAP_GRACE_MS = 100;
const CATCH_UP_BATCH = 1000;

/**
 * One instance's view of the event sequence: it hands every event to `deliver` exactly once and
 * strictly in sequence order. Pub/sub is fast but not durable, so early events wait for the gap
 * before them to fill, and whatever the bus lost — a gap that stays, a bus reconnect, a stale
 * tail seen by the periodic check — is read back from the outbox table.
 */
export class OrderedFeed {
  /** The highest sequence number handed out, with none missing before it. */
  private position = 0;
  private readonly early = new Map<number, SequencedEvent>();
  private catching: Promise<void> | null = null;
  private catchAgain = false;
  private gapTimer: NodeJS.Timeout | null = null;
  private tailTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly deliver: (e: SequencedEvent) => void,
    /** False while nobody listens: then a stale tail is skipped, not read. */
    private readonly hasAudience: () => boolean,
    private readonly options: { tailCheckMs: number; log: FastifyBaseLogger },
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribe({ events: (batch) => this.receive(batch), resumed: () => void this.catchUp() });
    this.position = Math.max(this.position, (await sequencePosition(this.db)).lastSeq);
    this.drainEarly();
    if (this.options.tailCheckMs > 0) this.tailTimer = setInterval(() => void this.checkTail(), this.options.tailCheckMs).unref();
  }

  get currentPosition(): number {
    return this.position;
  }

  private receive(batch: SequencedEvent[]): void {
    for (const e of batch) if (e.seq > this.position) this.early.set(e.seq, e);
    this.drainEarly();
  }

  /** Hands out every event that continues the sequence; a gap waits briefly, then is read back. */
  private drainEarly(): void {
    for (const seq of this.early.keys()) if (seq <= this.position) this.early.delete(seq);
    for (let next = this.early.get(this.position + 1); next; next = this.early.get(this.position + 1)) {
      this.early.delete(next.seq);
      this.position = next.seq;
      this.deliver(next);
    }
    if (this.early.size > 0 && !this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if (this.early.size > 0) void this.catchUp();
      }, GAP_GRACE_MS);
    }
  }

  /** Reads from the table everything after our position (a gap, a bus reconnect, a stale tail). */
  catchUp(): Promise<void> {
    if (this.catching) {
      this.catchAgain = true;
      return this.catching;
    }
    this.catching = (async () => {
      do {
        this.catchAgain = false;
        for (;;) {
          const events = await sequencedEventsAfter(this.db, this.position, CATCH_UP_BATCH);
          if (events.length === 0) break;
          const first = events[0]!;
          // Only pruning leaves holes; nobody connected can still be owed those events.
          if (first.seq > this.position + 1) this.position = first.seq - 1;
          this.receive(events);
          if (events.length < CATCH_UP_BATCH) break;
        }
      } while (this.catchAgain);
    })()
      .catch((err: unknown) => this.options.log.warn({ err }, 'live: catch-up failed; will retry'))
      .finally(() => (this.catching = null));
    return this.catching;
  }

  /** Pub/sub is not durable: now and then compare our position with the table's. */
  private async checkTail(): Promise<void> {
    try {
      const { lastSeq } = await sequencePosition(this.db);
      if (lastSeq <= this.position) return;
      if (!this.hasAudience()) {
        this.position = lastSeq; // nobody to tell; new sockets replay from the table themselves
        this.early.clear();
      } else {
        await this.catchUp();
      }
    } catch (err) {
      this.options.log.warn({ err }, 'live: tail check failed');
    }
  }

  async stop(): Promise<void> {
    if (this.tailTimer) clearInterval(this.tailTimer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.unsubscribe?.();
    await this.catching;
  }
}
