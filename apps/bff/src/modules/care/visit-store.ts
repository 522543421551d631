import { num, type Sql } from '../../infra/db/database';

// The care service's writes to care_assignments and care_visits, and the visit reads that drive
// them; each row shape mapped once here. (store.ts holds the ledger and visit views.)

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export async function insertAssignment(
  tx: Sql,
  a: { householdId: number; communityId: number; helperId: number; cadenceDays: number; taskId: number; at: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO care_assignments (household_id, community_id, helper_id, cadence_days, task_id, next_visit_due_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [a.householdId, a.communityId, a.helperId, a.cadenceDays, a.taskId, a.at, a.at, a.at],
  );
}

/** A new helper or cadence; the next due visit moves only when `nextVisitDueAt` is given. */
export async function updateAssignment(
  tx: Sql,
  assignmentId: number,
  u: { helperId: number; cadenceDays: number; nextVisitDueAt: number | null; at: number },
): Promise<void> {
  await tx.run(
    'UPDATE care_assignments SET helper_id = ?, cadence_days = ?, next_visit_due_at = COALESCE(?, next_visit_due_at), updated_at = ? WHERE id = ?',
    [u.helperId, u.cadenceDays, u.nextVisitDueAt, u.at, assignmentId],
  );
}

/** The visit still owed (pending or missed) goes to another helper. */
export async function handOverOwedVisits(tx: Sql, assignmentId: number, helperId: number): Promise<void> {
  await tx.run(`UPDATE care_visits SET helper_id = ? WHERE assignment_id = ? AND status IN ('pending', 'missed')`, [
    helperId,
    assignmentId,
  ]);
}

/** Cancels the visits still owed and deletes the assignment; returns how many visits were cancelled. */
export async function deleteAssignment(tx: Sql, assignmentId: number): Promise<number> {
  const cancelled = await tx.run(
    `UPDATE care_visits SET status = 'cancelled' WHERE assignment_id = ? AND status IN ('pending', 'missed')`,
    [assignmentId],
  );
  await tx.run('DELETE FROM care_assignments WHERE id = ?', [assignmentId]);
  return cancelled.affectedRows;
}

export async function hasOwedVisit(tx: Sql, assignmentId: number): Promise<boolean> {
  const r = await tx.one(`SELECT id FROM care_visits WHERE assignment_id = ? AND status IN ('pending', 'missed') LIMIT 1`, [assignmentId]);
  return r !== undefined;
}

export interface LockedVisit {
  id: number;
  assignmentId: number;
  householdId: number;
  communityId: number;
  status: 'pending' | 'done' | 'missed' | 'cancelled';
}

/** A helper's visit, locked for the caller's transaction (MySQL); null when it is not theirs. */
export async function lockVisitOfHelper(tx: Sql, visitId: number, helperId: number): Promise<LockedVisit | null> {
  const v = await tx.one(
    `SELECT id, assignment_id, household_id, community_id, status FROM care_visits WHERE id = ? AND helper_id = ?${tx.sqlDialect.forUpdate}`,
    [visitId, helperId],
  );
  if (!v) return null;
  return {
    id: num(v.id),
    assignmentId: num(v.assignment_id),
    householdId: num(v.household_id),
    communityId: num(v.community_id),
    status: v.status as LockedVisit['status'],
  };
}

export async function markVisitDone(
  tx: Sql,
  visitId: number,
  d: { outcome: 'safe' | 'needs_help'; note: string | null; errandId: number | null; at: number },
): Promise<void> {
  await tx.run(`UPDATE care_visits SET status = 'done', outcome = ?, note = ?, errand_id = ?, done_at = ? WHERE id = ?`, [
    d.outcome,
    d.note,
    d.errandId,
    d.at,
    visitId,
  ]);
}

export async function recordVisitOnAssignment(
  tx: Sql,
  assignmentId: number,
  v: { outcome: 'safe' | 'needs_help'; at: number; nextVisitDueAt: number },
): Promise<void> {
  await tx.run('UPDATE care_assignments SET last_visit_at = ?, last_outcome = ?, next_visit_due_at = ?, updated_at = ? WHERE id = ?', [
    v.at,
    v.outcome,
    v.nextVisitDueAt,
    v.at,
    assignmentId,
  ]);
}

/** The assignment a recurring task drives, or null once care ended. */
export async function assignmentOfTask(tx: Sql, taskId: number): Promise<{ id: number; helperId: number } | null> {
  const a = await tx.one('SELECT id, helper_id FROM care_assignments WHERE task_id = ?', [taskId]);
  return a ? { id: num(a.id), helperId: num(a.helper_id) } : null;
}

/** The next visit falls due: a pending visit, and the assignment's due time moves to it. */
export async function insertDueVisit(
  tx: Sql,
  v: { assignmentId: number; communityId: number; householdId: number; helperId: number; dueAt: number; at: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO care_visits (assignment_id, community_id, household_id, helper_id, due_at, status, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    [v.assignmentId, v.communityId, v.householdId, v.helperId, v.dueAt, v.at],
  );
  await tx.run('UPDATE care_assignments SET next_visit_due_at = ?, updated_at = ? WHERE id = ?', [v.dueAt, v.at, v.assignmentId]);
}

/** Ids of pending visits due at or before `cutoff`, earliest first. */
export async function pendingVisitsDue(sql: Sql, cutoff: number, limit: number): Promise<number[]> {
  const rows = await sql.all(`SELECT id FROM care_visits WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?`, [
    cutoff,
    limit,
  ]);
  return rows.map((r) => num(r.id));
}

/**
 * Claims those of `ids` still pending and due, skipping rows another instance holds (MySQL), and
 * marks them missed. Returns the visits this call marked.
 */
export async function claimMissedVisits(tx: Sql, ids: readonly number[], cutoff: number): Promise<{ id: number; communityId: number }[]> {
  if (ids.length === 0) return [];
  const rows = await tx.all(
    `SELECT id, community_id FROM care_visits WHERE id IN (${placeholders(ids.length)}) AND status = 'pending' AND due_at <= ?${tx.sqlDialect.forUpdateSkipLocked}`,
    [...ids, cutoff],
  );
  const claimed = rows.map((r) => ({ id: num(r.id), communityId: num(r.community_id) }));
  for (const v of claimed) await tx.run(`UPDATE care_visits SET status = 'missed' WHERE id = ?`, [v.id]);
  return claimed;
}
