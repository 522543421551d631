import { num, type Sql } from '../../infra/db/database';
import { OUTBOX_TOPIC } from '../live/outbox';

export interface AssignmentRow {
  id: number;
  householdId: number;
  communityId: number;
  helperId: number;
  cadenceDays: number;
  taskId: number;
  nextVisitDueAt: number;
  lastVisitAt: number | null;
  lastOutcome: 'safe' | 'needs_help' | null;
}

const toAssignment = (r: Record<string, unknown>): AssignmentRow => ({
  id: num(r.id),
  householdId: num(r.household_id),
  communityId: num(r.community_id),
  helperId: num(r.helper_id),
  cadenceDays: num(r.cadence_days),
  taskId: num(r.task_id),
  nextVisitDueAt: num(r.next_visit_due_at),
  lastVisitAt: r.last_visit_at === null ? null : num(r.last_visit_at),
  lastOutcome: (r.last_outcome ?? null) as AssignmentRow['lastOutcome'],
});

const ASSIGNMENT_COLUMNS =
  'id, household_id, community_id, helper_id, cadence_days, task_id, next_visit_due_at, last_visit_at, last_outcome';

/** The assignment of a household, locked for the caller's transaction on MySQL. */
export async function assignmentOfHousehold(tx: Sql, householdId: number): Promise<AssignmentRow | null> {
  const lock = tx.sqlDialect.forUpdate;
  const r = await tx.one(`SELECT ${ASSIGNMENT_COLUMNS} FROM care_assignments WHERE household_id = ?${lock}`, [householdId]);
  return r ? toAssignment(r) : null;
}

export async function assignmentById(tx: Sql, id: number): Promise<AssignmentRow | null> {
  const lock = tx.sqlDialect.forUpdate;
  const r = await tx.one(`SELECT ${ASSIGNMENT_COLUMNS} FROM care_assignments WHERE id = ?${lock}`, [id]);
  return r ? toAssignment(r) : null;
}

export type CareFilter = 'all' | 'due_today' | 'overdue';

const OVERDUE = `EXISTS (SELECT 1 FROM care_visits v WHERE v.assignment_id = a.id AND v.status = 'missed')`;

function filterSql(filter: CareFilter, endOfToday: number): { where: string; params: unknown[] } {
  if (filter === 'overdue') return { where: ` AND ${OVERDUE}`, params: [] };
  if (filter === 'due_today') return { where: ' AND a.next_visit_due_at < ?', params: [endOfToday] };
  return { where: '', params: [] };
}

const ENTRY_SELECT = `SELECT a.id, a.household_id, a.community_id, a.helper_id, a.cadence_days, a.next_visit_due_at, a.last_visit_at,
            a.last_outcome, h.contact_name, h.unit, h.room, b.name AS building_name, u.name AS helper_name,
            CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END AS overdue
       FROM care_assignments a
       JOIN households h ON h.id = a.household_id
       JOIN buildings b ON b.id = h.building_id
       JOIN helpers hp ON hp.id = a.helper_id
       JOIN users u ON u.id = hp.user_id`;

/** One household's ledger row. */
export async function careEntry(sql: Sql, householdId: number): Promise<Record<string, unknown> | undefined> {
  return sql.one(`${ENTRY_SELECT} WHERE a.household_id = ?`, [householdId]);
}

/** One page of the ledger of `communityIds`, by next due visit then id, after the cursor's position. */
export async function carePage(
  sql: Sql,
  communityIds: readonly number[],
  filter: CareFilter,
  endOfToday: number,
  after: { dueAt: number; id: number } | null,
  limit: number,
): Promise<Record<string, unknown>[]> {
  if (communityIds.length === 0) return [];
  const f = filterSql(filter, endOfToday);
  const keyset = after ? ' AND (a.next_visit_due_at > ? OR (a.next_visit_due_at = ? AND a.id > ?))' : '';
  return sql.all(
    `${ENTRY_SELECT}
      WHERE a.community_id IN (${communityIds.map(() => '?').join(', ')})${f.where}${keyset}
      ORDER BY a.next_visit_due_at, a.id
      LIMIT ${Math.floor(limit)}`,
    [...communityIds, ...f.params, ...(after ? [after.dueAt, after.dueAt, after.id] : [])],
  );
}

export async function careCounts(sql: Sql, communityIds: readonly number[], endOfToday: number): Promise<Record<CareFilter, number>> {
  if (communityIds.length === 0) return { all: 0, due_today: 0, overdue: 0 };
  const r = await sql.one(
    `SELECT COUNT(*) AS all_n,
            SUM(CASE WHEN a.next_visit_due_at < ? THEN 1 ELSE 0 END) AS today_n,
            SUM(CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END) AS overdue_n
       FROM care_assignments a WHERE a.community_id IN (${communityIds.map(() => '?').join(', ')})`,
    [endOfToday, ...communityIds],
  );
  return { all: num(r?.all_n ?? 0), due_today: num(r?.today_n ?? 0), overdue: num(r?.overdue_n ?? 0) };
}

/** Visits of a community past their window and not recorded: the staff queue's overdueVisits. */
export async function overdueVisitCount(sql: Sql, communityId: number): Promise<number> {
  const r = await sql.one(`SELECT COUNT(*) AS n FROM care_visits WHERE community_id = ? AND status = 'missed'`, [communityId]);
  return num(r?.n ?? 0);
}

export const VISIT_SELECT = `SELECT v.id, v.assignment_id, v.household_id, v.helper_id, v.community_id, v.due_at, v.status, v.outcome,
            e.public_id AS errand_public_id, h.contact_name, h.phone, h.unit, h.room, b.name AS building_name
       FROM care_visits v
       JOIN households h ON h.id = v.household_id
       JOIN buildings b ON b.id = h.building_id
       LEFT JOIN errands e ON e.id = v.errand_id`;

/** A queue.changed event for the staff of a community (their overdue visits changed). */
export async function recordCareQueueChanged(tx: Sql, communityId: number, now: number): Promise<void> {
  await tx.run(
    `INSERT INTO outbox_events (type, community_id, errand_id, errand_public_id, status, household_id, user_id, helper_id, staff_community_id, created_at)
     VALUES ('queue.changed', ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, ?)`,
    [communityId, communityId, now],
  );
  tx.notifyOnCommit(OUTBOX_TOPIC);
}
