import type { FastifyBaseLogger } from 'fastify';
import { num, type Database, type Sql } from '../../infra/db/database';
import { Repeater } from '../../infra/repeater';

export type DeadlineKind = 'round_end' | 'dispatch_retry' | 'auto_confirm';

export interface Deadline {
  id: number;
  kind: DeadlineKind;
  errandId: number;
  communityId: number;
  round: number;
}

export interface NewDeadline {
  kind: DeadlineKind;
  errandId: number;
  communityId: number;
  round: number;
  priority: number;
  dueAt: number;
}

export async function scheduleDeadline(sql: Sql, d: NewDeadline, now: number): Promise<void> {
  await sql.run('INSERT INTO deadlines (kind, errand_id, community_id, round, priority, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    d.kind,
    d.errandId,
    d.communityId,
    d.round,
    d.priority,
    d.dueAt,
    now,
  ]);
}

export type DeadlineHandler = (tx: Sql, deadline: Deadline) => Promise<void>;

/** A failing deadline is retried this much later, so it cannot block the ones behind it. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * Runs in every BFF instance. Each pass takes the due deadlines most pressing first and claims
 * each with FOR UPDATE SKIP LOCKED (MySQL), handling and deleting it in one transaction: two
 * sweepers never handle one deadline twice, and a crash mid-way leaves it for the next pass.
 * SQLite has a single writer, so the embedded mode needs no row locks.
 */
export class DeadlineSweeper {
  private readonly repeater: Repeater;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Database,
    private readonly handle: DeadlineHandler,
    private readonly options: {
      batch: number;
      intervalMs: number;
      now: () => number;
      log: FastifyBaseLogger;
      onPass?: () => Promise<void>;
    },
  ) {
    this.repeater = new Repeater(
      () => this.runOnce(),
      options.intervalMs,
      (err) => options.log.error({ err }, 'sweeper pass failed'),
    );
  }

  /** One pass: handles up to `batch` due deadlines; returns how many. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.options.now();
    // Read the due ids first, then lock each by primary key: a locking read with ORDER BY would
    // lock every row it sorts, and a second sweeper would find nothing to do.
    const due = await this.db.all<{ id: unknown }>(
      'SELECT id FROM deadlines WHERE due_at <= ? ORDER BY priority DESC, due_at, id LIMIT ?',
      [now, this.options.batch],
    );
    let handled = 0;
    for (const { id } of due) {
      try {
        const done = await this.db.transaction(async (tx) => {
          const d = await this.claim(tx, num(id), now);
          if (!d) return false; // another sweeper has it, or had it
          await this.handle(tx, d);
          await tx.run('DELETE FROM deadlines WHERE id = ?', [d.id]);
          return true;
        });
        if (done) handled++;
      } catch (err) {
        this.options.log.error({ err, deadline: num(id) }, 'deadline failed; postponed');
        await this.db.run('UPDATE deadlines SET due_at = ? WHERE id = ?', [now + RETRY_AFTER_FAILURE_MS, id]).catch(() => undefined);
      }
    }
    await this.options.onPass?.().catch((err: unknown) => this.options.log.error({ err }, 'sweeper housekeeping failed'));
    return handled;
  }

  private async claim(tx: Sql, id: number, now: number): Promise<Deadline | null> {
    const lock = tx.dialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
    const r = await tx.one(`SELECT id, kind, errand_id, community_id, round FROM deadlines WHERE id = ? AND due_at <= ?${lock}`, [id, now]);
    return r
      ? { id: num(r.id), kind: r.kind as DeadlineKind, errandId: num(r.errand_id), communityId: num(r.community_id), round: num(r.round) }
      : null;
  }

  start(): void {
    this.repeater.start();
  }

  async stop(): Promise<void> {
    this.repeater.stop();
    await this.running;
  }
}
