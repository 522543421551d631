import { bool, num, type Sql } from '../../infra/db/database';

export type RecurringKind = 'visit' | 'repeat_errand';

export interface RecurringTaskRow {
  id: number;
  kind: RecurringKind;
  ownerUserId: number;
  communityId: number;
  householdId: number;
  cadenceDays: number;
  nextRunAt: number;
  payload: Record<string, unknown>;
  active: boolean;
  lastRunAt: number | null;
  lastResult: string | null;
}

export interface NewRecurringTask {
  kind: RecurringKind;
  ownerUserId: number;
  communityId: number;
  householdId: number;
  cadenceDays: number;
  firstRunAt: number;
  payload: Record<string, unknown>;
}

const TASK_COLUMNS =
  'id, kind, owner_user_id, community_id, household_id, cadence_days, next_run_at, payload_json, active, last_run_at, last_result';

function toTask(r: Record<string, unknown>): RecurringTaskRow {
  return {
    id: num(r.id),
    kind: r.kind as RecurringKind,
    ownerUserId: num(r.owner_user_id),
    communityId: num(r.community_id),
    householdId: num(r.household_id),
    cadenceDays: num(r.cadence_days),
    nextRunAt: num(r.next_run_at),
    payload: JSON.parse(String(r.payload_json)) as Record<string, unknown>,
    active: bool(r.active),
    lastRunAt: r.last_run_at === null ? null : num(r.last_run_at),
    lastResult: r.last_result === null ? null : String(r.last_result),
  };
}

/** Creates a recurring task in the caller's transaction; returns its id. */
export async function scheduleTask(sql: Sql, task: NewRecurringTask, now: number): Promise<number> {
  const res = await sql.run(
    `INSERT INTO recurring_tasks (kind, owner_user_id, community_id, household_id, cadence_days, next_run_at, payload_json, active,
                                  created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    [
      task.kind,
      task.ownerUserId,
      task.communityId,
      task.householdId,
      task.cadenceDays,
      task.firstRunAt,
      JSON.stringify(task.payload),
      now,
      now,
    ],
  );
  return res.insertId;
}

/** Changes when (and how often) a task runs next, and whose it is. */
export async function rescheduleTask(
  sql: Sql,
  id: number,
  change: { nextRunAt?: number; cadenceDays?: number; ownerUserId?: number },
  now: number,
): Promise<void> {
  await sql.run(
    `UPDATE recurring_tasks SET next_run_at = COALESCE(?, next_run_at), cadence_days = COALESCE(?, cadence_days),
            owner_user_id = COALESCE(?, owner_user_id), updated_at = ? WHERE id = ?`,
    [change.nextRunAt ?? null, change.cadenceDays ?? null, change.ownerUserId ?? null, now, id],
  );
}

/** Stops a task for good (the row stays, inactive, as a record). */
export async function endTask(sql: Sql, id: number, now: number): Promise<void> {
  await sql.run('UPDATE recurring_tasks SET active = 0, updated_at = ? WHERE id = ?', [now, id]);
}

/** Ids of active tasks due at `now`, earliest first. */
export async function dueTaskIds(sql: Sql, now: number, limit: number): Promise<number[]> {
  const rows = await sql.all('SELECT id FROM recurring_tasks WHERE active = 1 AND next_run_at <= ? ORDER BY next_run_at, id LIMIT ?', [
    now,
    limit,
  ]);
  return rows.map((r) => Number(r.id));
}

/** The task if it is still active and due, locked past other instances (SKIP LOCKED on MySQL); null if not ours. */
export async function claimDueTask(tx: Sql, id: number, now: number): Promise<RecurringTaskRow | null> {
  const r = await tx.one(
    `SELECT ${TASK_COLUMNS} FROM recurring_tasks WHERE id = ? AND active = 1 AND next_run_at <= ?${tx.sqlDialect.forUpdateSkipLocked}`,
    [id, now],
  );
  return r ? toTask(r) : null;
}

/** What is stored now of a task's schedule (a handler may have rescheduled it). */
export async function taskSchedule(sql: Sql, id: number): Promise<{ nextRunAt: number; cadenceDays: number }> {
  const r = await sql.one('SELECT next_run_at, cadence_days FROM recurring_tasks WHERE id = ?', [id]);
  return { nextRunAt: Number(r?.next_run_at), cadenceDays: Number(r?.cadence_days) };
}

export async function recordTaskRun(
  tx: Sql,
  id: number,
  run: { nextRunAt: number; at: number; result: string; active: boolean },
): Promise<void> {
  await tx.run('UPDATE recurring_tasks SET next_run_at = ?, last_run_at = ?, last_result = ?, active = ?, updated_at = ? WHERE id = ?', [
    run.nextRunAt,
    run.at,
    run.result,
    run.active,
    run.at,
    id,
  ]);
}

/** A failed occurrence is tried again at `retryAt`, unless the task moved on meanwhile. */
export async function postponeTask(sql: Sql, id: number, now: number, retryAt: number): Promise<void> {
  await sql.run('UPDATE recurring_tasks SET next_run_at = ? WHERE id = ? AND next_run_at <= ?', [retryAt, id, now]);
}

/** The owner's active tasks of one kind, next due first (a list screen shows at most `limit`). */
export async function activeTasksOfOwner(sql: Sql, ownerUserId: number, kind: RecurringKind, limit: number): Promise<RecurringTaskRow[]> {
  const rows = await sql.all(
    `SELECT ${TASK_COLUMNS} FROM recurring_tasks WHERE owner_user_id = ? AND kind = ? AND active = 1 ORDER BY next_run_at, id LIMIT ${Math.trunc(limit)}`,
    [ownerUserId, kind],
  );
  return rows.map(toTask);
}

/** One task of this owner and kind (active or ended); null when it is someone else's or not there. */
export async function taskOfOwner(sql: Sql, id: number, ownerUserId: number, kind: RecurringKind): Promise<RecurringTaskRow | null> {
  const r = await sql.one(`SELECT ${TASK_COLUMNS} FROM recurring_tasks WHERE id = ? AND owner_user_id = ? AND kind = ?`, [
    id,
    ownerUserId,
    kind,
  ]);
  return r ? toTask(r) : null;
}
