import type { FastifyBaseLogger } from 'fastify';
import type { Database, Sql } from '../../infra/db/database';
import { claimDueDeadline, claimDueDeadlines, deleteDeadline, dueDeadlineIds, postponeDeadline, type Deadline } from './deadline-store';

export type DeadlineHandler = (tx: Sql, deadline: Deadline) => Promise<void>;

/** A failing deadline is retried this much later, so it cannot block the ones behind it. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/** Deadlines handled in one transaction: one commit (one log flush) for all of them. */
const CHUNK = 20;
/** Chunks in flight at once (MySQL): the work is round trips, not CPU. SQLite has one writer. */
const PARALLEL_CHUNKS = 6;

/**
 * Each handler locks its errand row before it changes anything; gap locks would only make chunks
 * running side by side deadlock on the offers index (neighbouring errands' offers share gaps).
 */
const SWEEP_TX = { readCommitted: true };

/**
 * Runs in every BFF instance. Each pass reads the due deadlines, most pressing first, and works
 * through them in chunks: one transaction per chunk claims the chunk's rows with FOR UPDATE SKIP
 * LOCKED (MySQL), handles them and deletes them, so two sweepers never handle one deadline twice
 * and a crash mid-way leaves the whole chunk for the next pass. A few chunks run at once. If a
 * chunk fails, its deadlines are retried one per transaction, and one that fails alone is
 * postponed rather than blocking the others. A pass goes on while a full batch was due, instead
 * of waiting an interval per batch. SQLite has a single writer, so the embedded mode needs no row
 * locks and runs one chunk at a time.
 */
export class DeadlineSweeper {
  private running: Promise<number> | null = null;
  private stopping = false;

  constructor(
    private readonly db: Database,
    private readonly handle: DeadlineHandler,
    private readonly options: {
      batch: number;
      now: () => number;
      log: FastifyBaseLogger;
    },
  ) {}

  /** One pass: handles the due deadlines, `batch` at a time while more are due; returns how many. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    let handled = 0;
    for (;;) {
      const now = this.options.now();
      // Read the due ids first, then lock them by primary key (see dueDeadlineIds).
      const due = await dueDeadlineIds(this.db, now, this.options.batch);
      const chunks: number[][] = [];
      for (let i = 0; i < due.length; i += CHUNK) chunks.push(due.slice(i, i + CHUNK));
      let next = 0;
      let round = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const n = await this.sweepChunk(chunks[next++]!, now); // not `round += await …`: that reads `round` before waiting
          round += n;
        }
      };
      await Promise.all(Array.from({ length: this.db.sqlDialect.concurrentWriters ? PARALLEL_CHUNKS : 1 }, worker));
      handled += round;
      // More may be due: go on at once, unless this batch was taken by other sweepers already.
      if (due.length < this.options.batch || round === 0 || this.stopping) break;
    }
    return handled;
  }

  /** Claims, handles and deletes the deadlines of `ids` not taken by another sweeper; returns how many. */
  private async sweepChunk(ids: number[], now: number): Promise<number> {
    try {
      return await this.db.transaction(async (tx) => {
        const claimed = await claimDueDeadlines(tx, ids, now);
        if (claimed.length === 0) return 0;
        for (const d of claimed) {
          await this.handle(tx, d);
          await deleteDeadline(tx, d.id);
        }
        return claimed.length;
      }, SWEEP_TX);
    } catch (err) {
      this.options.log.warn({ err, deadlines: ids.length }, 'deadline chunk failed; handling its deadlines one by one');
      let handled = 0;
      for (const id of ids) if (await this.sweepOne(id, now)) handled++;
      return handled;
    }
  }

  private async sweepOne(id: number, now: number): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        const d = await claimDueDeadline(tx, id, now);
        if (!d) return false;
        await this.handle(tx, d);
        await deleteDeadline(tx, id);
        return true;
      }, SWEEP_TX);
    } catch (err) {
      this.options.log.error({ err, deadline: id }, 'deadline failed; postponed');
      await postponeDeadline(this.db, id, now + RETRY_AFTER_FAILURE_MS).catch(() => undefined);
      return false;
    }
  }

  /** For the job runner: the pass in flight ends after its current batch. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }
}
