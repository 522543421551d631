import type { FastifyBaseLogger } from 'fastify';
import type { Database, Sql } from '../../infra/db/database';
import { nextRunAfter } from './domain';
import { claimDueTask, dueTaskIds, postponeTask, recordTaskRun, taskSchedule, type RecurringKind, type RecurringTaskRow } from './store';

/** What one occurrence did; `end` deactivates the task (its subject is gone). */
export interface OccurrenceResult {
  result: string;
  end?: boolean;
}

/**
 * Runs one occurrence of a task, in the transaction that claimed it: whatever it writes commits
 * together with the task's move to its next run, or not at all.
 */
export type OccurrenceHandler = (tx: Sql, task: RecurringTaskRow, occurrenceAt: number) => Promise<OccurrenceResult>;

/** A failing occurrence is tried again this much later, so it cannot block the ones behind it. */
const RETRY_AFTER_FAILURE_MS = 60_000;
/** Creating an errand counts the household's open ones: see ErrandService.requireRoomForOpenErrand. */
const CLAIM_TX = { readCommitted: true };

/**
 * The recurrence pass, run by every instance from the deadline sweeper's housekeeping. Due tasks
 * are read without locks, then each is claimed in a transaction of its own with FOR UPDATE SKIP
 * LOCKED (MySQL) and a fresh check that it is still due; its handler runs and next_run_at moves
 * on in that same transaction. So two instances never run one occurrence, and an occurrence whose
 * instance died mid-way is run by the next pass (nothing was committed). SQLite has one writer.
 */
export class RecurrenceRunner {
  constructor(
    private readonly db: Database,
    private readonly handlers: Record<RecurringKind, OccurrenceHandler>,
    private readonly options: { batch: number; now: () => number; log: FastifyBaseLogger },
  ) {}

  /** Runs every due occurrence (up to `batch` per read, while more are due); returns how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const now = this.options.now();
      const due = await dueTaskIds(this.db, now, this.options.batch);
      let round = 0;
      for (const id of due) if (await this.runOne(id, now)) round++;
      ran += round;
      if (due.length < this.options.batch || round === 0) return ran;
    }
  }

  private async runOne(id: number, now: number): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        const task = await claimDueTask(tx, id, now);
        if (!task) return false; // another instance has it, or had it
        const outcome = await this.handlers[task.kind](tx, task, task.nextRunAt);
        // The handler may have rescheduled the task itself; move on from what is stored now.
        const stored = await taskSchedule(tx, id);
        const next = stored.nextRunAt > task.nextRunAt ? stored.nextRunAt : nextRunAfter(task.nextRunAt, stored.cadenceDays, now);
        await recordTaskRun(tx, id, { nextRunAt: next, at: now, result: outcome.result, active: !outcome.end });
        return true;
      }, CLAIM_TX);
    } catch (err) {
      this.options.log.error({ err, task: id }, 'recurring task failed; postponed');
      await postponeTask(this.db, id, now, now + RETRY_AFTER_FAILURE_MS).catch(() => undefined);
      return false;
    }
  }
}
