import type { FastifyBaseLogger } from 'fastify';
import { num, type Database, type Sql } from '../../infra/db/database';
import type { EventBus } from './bus';
import { SEQUENCED_COLUMNS, toSequencedEvent, type SequencedEvent } from './domain';

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
  private running: Promise<number> | null = null;
  private again = false;
  private nudged = false;
  private lastPrune = 0;
  private publishFailing = false;
  private stopped = false;
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
    if (this.nudged || this.stopped) return;
    this.nudged = true;
    setImmediate(() => {
      this.nudged = false;
      this.runOnce().catch((err: unknown) => this.options.log.error({ err }, 'outbox relay pass failed'));
    });
  }

  /** Sequences and publishes until nothing is left; returns how many events it relayed. */
  runOnce(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let relayed = 0;
      do {
        this.again = false;
        for (;;) {
          const batch = await this.sequenceBatch();
          if (batch.length > 0) await this.publish(batch);
          relayed += batch.length;
          if (batch.length < this.options.batch) break;
        }
      } while (this.again);
      if (relayed > 0) this.tellFollowers();
      return relayed;
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** One sequencing step (public so a test can stop an instance between it and publishing). */
  async sequenceBatch(): Promise<SequencedEvent[]> {
    return this.db.transaction(async (tx) => {
      const lastSeq = await lockSequence(tx);
      const rows = await tx.all(
        `SELECT id, type, community_id, errand_id, errand_public_id, status, household_id, user_id, helper_id, staff_community_id, created_at
           FROM outbox_events WHERE seq IS NULL ORDER BY id LIMIT ?`,
        [this.options.batch],
      );
      if (rows.length === 0) return [];
      const cases = rows.map(() => 'WHEN ? THEN ?').join(' ');
      const params = rows.flatMap((r, i) => [r.id, lastSeq + i + 1]);
      const numbered = await tx.run(
        `UPDATE outbox_events SET seq = CASE id ${cases} END WHERE id IN (${rows.map(() => '?').join(', ')}) AND seq IS NULL`,
        [...params, ...rows.map((r) => r.id)],
      );
      // Under the sequence lock nobody else can have numbered them; if someone did, roll back whole.
      if (numbered.affectedRows !== rows.length) throw new Error('outbox events numbered twice; sequencing rolled back');
      await tx.run('UPDATE event_sequence SET last_seq = ? WHERE id = 1', [lastSeq + rows.length]);
      return rows.map((r, i) => toSequencedEvent({ ...r, seq: lastSeq + i + 1 }));
    });
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
    const cutoff = this.options.now() - this.options.retentionMs;
    const r = await this.db.one<{ s: unknown }>('SELECT MAX(seq) AS s FROM outbox_events WHERE created_at < ? AND seq IS NOT NULL', [
      cutoff,
    ]);
    if (r?.s === null || r?.s === undefined) return 0;
    const through = num(r.s);
    const res = await this.db.run('DELETE FROM outbox_events WHERE seq <= ?', [through]);
    await this.db.run('UPDATE event_sequence SET pruned_through = ? WHERE id = 1 AND pruned_through < ?', [through, through]);
    return res.affectedRows;
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

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }
}

/** Locks the sequence row (creating it on first use) and returns the last number handed out. */
async function lockSequence(tx: Sql): Promise<number> {
  const row = await tx.one<{ last_seq: unknown }>(`SELECT last_seq FROM event_sequence WHERE id = 1${tx.sqlDialect.forUpdate}`);
  if (row) return num(row.last_seq);
  try {
    await tx.run('INSERT INTO event_sequence (id, last_seq, pruned_through) VALUES (1, 0, 0)');
  } catch {
    // Another instance created it at the same moment; the locking read below waits for it.
  }
  const again = await tx.one<{ last_seq: unknown }>(`SELECT last_seq FROM event_sequence WHERE id = 1${tx.sqlDialect.forUpdate}`);
  return num(again!.last_seq);
}

/** Where the sequence stands: the last number handed out and the last one pruned. */
export async function sequencePosition(sql: Sql): Promise<{ lastSeq: number; prunedThrough: number }> {
  const r = await sql.one<{ last_seq: unknown; pruned_through: unknown }>(
    'SELECT last_seq, pruned_through FROM event_sequence WHERE id = 1',
  );
  return r ? { lastSeq: num(r.last_seq), prunedThrough: num(r.pruned_through) } : { lastSeq: 0, prunedThrough: 0 };
}

/** Numbered events after `afterSeq`, in order, at most `limit`: how followers of the sequence read it. */
export async function sequencedEventsAfter(sql: Sql, afterSeq: number, limit: number): Promise<SequencedEvent[]> {
  const rows = await sql.all(`SELECT ${SEQUENCED_COLUMNS} FROM outbox_events WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit]);
  return rows.map(toSequencedEvent);
}
