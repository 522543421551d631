import { num, type IdParam, type Row, type Sql, type Statement } from '../../infra/db/database';

// The SQL of deadlines: scheduled by the errands' use cases inside their transactions, claimed and
// deleted by the sweeper (deadlines.ts).

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
  const s = deadlinesInsertStatement([d], now);
  await sql.run(s.sql, s.params);
}

const toDeadline = (r: Row): Deadline => ({
  id: num(r.id),
  kind: r.kind as DeadlineKind,
  errandId: num(r.errand_id),
  communityId: num(r.community_id),
  round: num(r.round),
});

/**
 * The ids of the deadlines due at `now`, most pressing first. Read without locks: a locking read
 * with ORDER BY would lock every row it sorts (MariaDB), and a second sweeper would find nothing to do.
 */
export async function dueDeadlineIds(sql: Sql, now: number, limit: number): Promise<number[]> {
  const rows = await sql.all('SELECT id FROM deadlines WHERE due_at <= ? ORDER BY priority DESC, due_at, id LIMIT ?', [now, limit]);
  return rows.map((r) => num(r.id));
}

/**
 * Claims those of `ids` still due at `now` that no other sweeper holds (FOR UPDATE SKIP LOCKED on
 * MySQL), in the order of `ids`. By primary key, forced: on a small table MariaDB would rather scan
 * it whole (or the due_at index), and a locking scan locks, as a DELETE waits for, every row it passes.
 */
export async function claimDueDeadlines(tx: Sql, ids: number[], now: number): Promise<Deadline[]> {
  const rows = await tx.all(
    `SELECT id, kind, errand_id, community_id, round, due_at FROM deadlines${tx.sqlDialect.forceIndex('PRIMARY')}
      WHERE id IN (${ids.map(() => '?').join(', ')})${tx.sqlDialect.forUpdateSkipLocked}`,
    ids,
  );
  return rows
    .filter((r) => num(r.due_at) <= now)
    .map(toDeadline)
    .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
}

/** Claims one deadline still due at `now`; null when another sweeper has it, or had it. */
export async function claimDueDeadline(tx: Sql, id: number, now: number): Promise<Deadline | null> {
  const r = await tx.one(
    `SELECT id, kind, errand_id, community_id, round FROM deadlines WHERE id = ? AND due_at <= ?${tx.sqlDialect.forUpdateSkipLocked}`,
    [id, now],
  );
  return r ? toDeadline(r) : null;
}

/** One row at a time: a DELETE with an IN list may still scan, and wait for rows it does not delete. */
export async function deleteDeadline(tx: Sql, id: number): Promise<void> {
  await tx.run('DELETE FROM deadlines WHERE id = ?', [id]);
}

export async function postponeDeadline(sql: Sql, id: number, dueAt: number): Promise<void> {
  await sql.run('UPDATE deadlines SET due_at = ? WHERE id = ?', [dueAt, id]);
}

/** Deadlines past due and not yet handled (a metric). */
export async function overdueDeadlineCount(sql: Sql, now: number): Promise<number> {
  const r = await sql.one('SELECT COUNT(*) AS n FROM deadlines WHERE due_at <= ?', [now]);
  return num(r?.n ?? 0);
}
