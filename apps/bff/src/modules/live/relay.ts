import type { FastifyBaseLogger } from 'fastify';
import { CoalescedPass } from '../../infra/coalesced-pass';
import type { Database } from '../../infra/db/database';
import type { EventBus } from './bus';
import type { SequencedEvent } from './domain';
import { numberNextEvents, pruneEventsBefore } from './sequence-store';

export interface RelayOptions {
  batch: number;
  retentionMs: number;
  now: () => number;
  log: FastifyBaseLogger;
  /**
   * Told after a pass relayed events (outside any transaction), so followers of the sequence such
   * as notification planning can catch up; whatever it does, it cannot hold up the relay.
   */
  onRelayed?: () => void;
  /**
   * Told of each batch once it is numbered and before it is published, so that what must know of
   * an event before its audience does (the accept gate, of offers) learns it first. Its failure is
   * logged and does not stop the batch.
   */
  beforePublish?: (events: SequencedEvent[]) => Promise<void>;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Publishes committed outbox events. Every instance runs one; it wakes when a transaction of its
 * own wrote events, and as a job on a timer (`runScheduled`) for anything another (perhaps dead)
 * instance left behind.
 *
 * A pass first *sequences* a batch in one transaction: it locks the single `event_sequence` row,
 * takes the oldest unsequenced events and numbers them on from `last_seq`. The lock makes the
 * sequence dense and ordered across instances, which is what lets gateways and clients notice
 * any event they missed. Only after that commit is the batch published on the bus; if publishing
 * fails, or the instance dies first, gateways find the events in the table.
 */
export class OutboxRelay {
  private readonly pass = new CoalescedPass(
    () => this.drain(),
    (err) => this.options.log.error({ err }, 'outbox relay pass failed'),
    (relayed) => {
      if (relayed > 0) this.tellFollowers();
    },
  );
  private lastPrune = 0;
  private publishFailing = false;
  /** For /metrics. */
  relayedTotal = 0;
  publishFailuresTotal = 0;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly options: RelayOptions,
  ) {}

  /** Something was committed: relay soon (coalesced with any pass already running). */
  nudge(): void {
    this.pass.nudge();
  }

  /** Sequences and publishes until nothing is left; returns how many events it relayed. */
  runOnce(): Promise<number> {
    return this.pass.run();
  }

  private async drain(): Promise<number> {
    let relayed = 0;
    for (;;) {
      const batch = await this.sequenceBatch();
      if (batch.length > 0) {
        await this.options
          .beforePublish?.(batch)
          .catch((err: unknown) => this.options.log.warn({ err }, 'live events: a pre-publish step failed'));
        await this.publish(batch);
      }
      relayed += batch.length;
      if (batch.length < this.options.batch) return relayed;
    }
  }

  /** One sequencing step (public so a test can stop an instance between it and publishing). */
  async sequenceBatch(): Promise<SequencedEvent[]> {
    return this.db.transaction((tx) => numberNextEvents(tx, this.options.batch), { batched: true });
  }

  private async publish(events: SequencedEvent[]): Promise<void> {
    this.relayedTotal += events.length;
    try {
      await this.bus.publish(events);
      if (this.publishFailing) this.options.log.info('live events: publishing works again');
      this.publishFailing = false;
    } catch (err) {
      this.publishFailuresTotal++;
      // Gateways read these from the table; say so once per outage, not once per batch.
      if (!this.publishFailing) this.options.log.warn({ err }, 'live events: cannot publish; gateways will read the outbox');
      this.publishFailing = true;
    }
  }

  /** Deletes published events older than the retention period; clients older than that reload. */
  async prune(): Promise<number> {
    return pruneEventsBefore(this.db, this.options.now() - this.options.retentionMs);
  }

  private tellFollowers(): void {
    try {
      this.options.onRelayed?.();
    } catch (err) {
      this.options.log.error({ err }, 'a follower of the live events failed to take note');
    }
  }

  /** The job's timed pass: whatever is left unrelayed, and now and then the retention clean-up. */
  async runScheduled(): Promise<void> {
    await this.runOnce();
    if (this.options.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = this.options.now();
    await this.prune();
  }

  stop(): Promise<void> {
    return this.pass.stop();
  }
}
