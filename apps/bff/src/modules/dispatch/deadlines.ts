import type { FastifyBaseLogger } from 'fastify';
import { num, type Database, type IdParam, type Sql, type Statement } from '../../infra/db/database';

export type DeadlineKind = 'round_end' | 'dispatch_retry' | 'auto_confirm' | 'sla_due';

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

/** Several deadlines in one INSERT (the create path sends it in its last packet). */
export function deadlinesInsertStatement(list: (Omit<NewDeadline, 'errandId'> & { errandId: IdParam })[], now: number): Statement {
  return {
    sql: `INSERT INTO deadlines (kind, errand_id, community_id, round, priority, due_at, created_at) VALUES ${list
      .map(() => '(?, ?, ?, ?, ?, ?, ?)')
      .join(', ')}`,
    params: list.flatMap((d) => [d.kind, d.errandId, d.communityId, d.round, d.priority, d.dueAt, now]),
  };
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

/** Deadlines handled in one transaction: one commit (one log flush) for all of them. */
const CHUNK = 20;
/** Chunks in flight at once (MySQL): the work is round trips, not CPU. SQLite has one writer. */
const PARALLEL_CHUNKS = 6;

/**
 * Each handler locks its errand row before it changes anything; gap locks would only make chunks
 * running side by side deadlock on the offers index (neighbouring errands' offers share gaps).
 */
const SWEEP_TX = { readCommitted: true };

const SELECT_DEADLINE = 'SELECT id, kind, errand_id, community_id, round FROM deadlines';
const SELECT_DEADLINE_DUE = 'SELECT id, kind, errand_id, community_id, round, due_at FROM deadlines';

const byPk = (tx: Sql) => tx.sqlDialect.forceIndex('PRIMARY');
const marks = (ids: number[]) => ids.map(() => '?').join(', ');

const toDeadline = (r: Record<string, unknown>): Deadline => ({
  id: num(r.id),
  kind: r.kind as DeadlineKind,
  errandId: num(r.errand_id),
  communityId: num(r.community_id),
  round: num(r.round),
});

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
      // Read the due ids first, then lock them by primary key: a locking read with ORDER BY would
      // lock every row it sorts (MariaDB), and a second sweeper would find nothing to do.
      const due = (
        await this.db.all<{ id: unknown }>('SELECT id FROM deadlines WHERE due_at <= ? ORDER BY priority DESC, due_at, id LIMIT ?', [
          now,
          this.options.batch,
        ])
      ).map((r) => num(r.id));
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
        const lock = tx.sqlDialect.forUpdateSkipLocked;
        // By primary key, forced: on a small table MariaDB would rather scan it whole (or the due_at
        // index), and a locking scan locks, as a DELETE waits for, every row it passes.
        const rows = await tx.all(`${SELECT_DEADLINE_DUE}${byPk(tx)} WHERE id IN (${marks(ids)})${lock}`, ids);
        const claimed = rows
          .filter((r) => num(r.due_at) <= now)
          .map(toDeadline)
          .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
        if (claimed.length === 0) return 0;
        for (const d of claimed) {
          await this.handle(tx, d);
          // One row at a time: a DELETE with an IN list may still scan, and wait for rows it does not delete.
          await tx.run('DELETE FROM deadlines WHERE id = ?', [d.id]);
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
        const lock = tx.sqlDialect.forUpdateSkipLocked;
        const r = await tx.one(`${SELECT_DEADLINE} WHERE id = ? AND due_at <= ?${lock}`, [id, now]);
        if (!r) return false; // another sweeper has it, or had it
        await this.handle(tx, toDeadline(r));
        await tx.run('DELETE FROM deadlines WHERE id = ?', [id]);
        return true;
      }, SWEEP_TX);
    } catch (err) {
      this.options.log.error({ err, deadline: id }, 'deadline failed; postponed');
      await this.db.run('UPDATE deadlines SET due_at = ? WHERE id = ?', [now + RETRY_AFTER_FAILURE_MS, id]).catch(() => undefined);
      return false;
    }
  }

  /** For the job runner: the pass in flight ends after its current batch. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }
}

// Appended by the "structure" helper (table ownership, issue 13.1): the metrics count deadlines here.

/** Deadlines past due and not yet handled (a metric). */
export async function overdueDeadlineCount(sql: Sql, now: number): Promise<number> {
  const r = await sql.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM deadlines WHERE due_at <= ?', [now]);
  return num(r?.n ?? 0);
}
