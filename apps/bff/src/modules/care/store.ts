import { num, numOrNull, type Sql } from '../../infra/db/database';
import { householdLabels, type HouseholdLabel } from '../community/household-read-store';
import { errandPublicIds } from '../errands/store';
import { helperNames } from '../helpers/store';
import { recordCommunityQueueChanged } from '../live/outbox';

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
            a.last_outcome, CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END AS overdue
       FROM care_assignments a`;

/** A ledger row: the assignment, with the household's door and contact and the helper's name. */
export interface CareEntryRow {
  id: number;
  householdId: number;
  communityId: number;
  helperId: number;
  helperName: string;
  cadenceDays: number;
  nextVisitDueAt: number;
  lastVisitAt: number | null;
  lastOutcome: 'safe' | 'needs_help' | null;
  overdue: boolean;
  household: HouseholdLabel;
}

/** Households and helpers belong to their own modules: read once per page, by id. */
async function toEntries(sql: Sql, rows: Record<string, unknown>[]): Promise<CareEntryRow[]> {
  const [households, helpers] = await Promise.all([
    householdLabels(
      sql,
      rows.map((r) => num(r.household_id)),
    ),
    helperNames(
      sql,
      rows.map((r) => num(r.helper_id)),
    ),
  ]);
  // As the inner join did: a row whose household is gone is not listed (households are never deleted).
  return rows.flatMap((r) => {
    const household = households.get(num(r.household_id));
    return household
      ? [
          {
            id: num(r.id),
            householdId: num(r.household_id),
            communityId: num(r.community_id),
            helperId: num(r.helper_id),
            helperName: helpers.get(num(r.helper_id)) ?? '',
            cadenceDays: num(r.cadence_days),
            nextVisitDueAt: num(r.next_visit_due_at),
            lastVisitAt: numOrNull(r.last_visit_at),
            lastOutcome: (r.last_outcome ?? null) as CareEntryRow['lastOutcome'],
            overdue: num(r.overdue) === 1,
            household,
          },
        ]
      : [];
  });
}

/** One household's ledger row. */
export async function careEntry(sql: Sql, householdId: number): Promise<CareEntryRow | undefined> {
  const r = await sql.one(`${ENTRY_SELECT} WHERE a.household_id = ?`, [householdId]);
  return r ? (await toEntries(sql, [r]))[0] : undefined;
}

/** One page of the ledger of `communityIds`, by next due visit then id, after the cursor's position. */
export async function carePage(
  sql: Sql,
  communityIds: readonly number[],
  filter: CareFilter,
  endOfToday: number,
  after: { dueAt: number; id: number } | null,
  limit: number,
): Promise<CareEntryRow[]> {
  if (communityIds.length === 0) return [];
  const f = filterSql(filter, endOfToday);
  const keyset = after ? ' AND (a.next_visit_due_at > ? OR (a.next_visit_due_at = ? AND a.id > ?))' : '';
  const rows = await sql.all(
    `${ENTRY_SELECT}
      WHERE a.community_id IN (${communityIds.map(() => '?').join(', ')})${f.where}${keyset}
      ORDER BY a.next_visit_due_at, a.id
      LIMIT ${Math.floor(limit)}`,
    [...communityIds, ...f.params, ...(after ? [after.dueAt, after.dueAt, after.id] : [])],
  );
  return toEntries(sql, rows);
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

const VISIT_SELECT = `SELECT v.id, v.assignment_id, v.household_id, v.helper_id, v.community_id, v.due_at, v.status, v.outcome, v.errand_id
       FROM care_visits v`;

/** A visit as the helper sees it: the household's door and contact, and the errand it raised. */
export interface CareVisitRow {
  id: number;
  householdId: number;
  dueAt: number;
  status: 'pending' | 'done' | 'missed' | 'cancelled';
  outcome: 'safe' | 'needs_help' | null;
  errandPublicId: string | null;
  household: HouseholdLabel;
}

async function toVisits(sql: Sql, rows: Record<string, unknown>[]): Promise<CareVisitRow[]> {
  const [households, errands] = await Promise.all([
    householdLabels(
      sql,
      rows.map((r) => num(r.household_id)),
    ),
    errandPublicIds(
      sql,
      rows.flatMap((r) => (r.errand_id === null || r.errand_id === undefined ? [] : [num(r.errand_id)])),
    ),
  ]);
  return rows.flatMap((r) => {
    const errandId = numOrNull(r.errand_id);
    const household = households.get(num(r.household_id));
    if (!household) return [];
    return [
      {
        id: num(r.id),
        householdId: num(r.household_id),
        dueAt: num(r.due_at),
        status: r.status as CareVisitRow['status'],
        outcome: (r.outcome ?? null) as CareVisitRow['outcome'],
        errandPublicId: errandId === null ? null : (errands.get(errandId) ?? null),
        household,
      },
    ];
  });
}

/** The visits a helper owes (pending, and missed ones they may still record), earliest first. */
export async function visitsOwedBy(sql: Sql, helperId: number): Promise<CareVisitRow[]> {
  const rows = await sql.all(
    `${VISIT_SELECT} WHERE v.helper_id = ? AND v.status IN ('pending', 'missed') ORDER BY v.due_at, v.id LIMIT 200`,
    [helperId],
  );
  return toVisits(sql, rows);
}

export async function visitById(sql: Sql, visitId: number): Promise<CareVisitRow | undefined> {
  const r = await sql.one(`${VISIT_SELECT} WHERE v.id = ?`, [visitId]);
  return r ? (await toVisits(sql, [r]))[0] : undefined;
}

/** A queue.changed event for the staff of a community (their overdue visits changed). */
export async function recordCareQueueChanged(tx: Sql, communityId: number, now: number): Promise<void> {
  await recordCommunityQueueChanged(tx, communityId, now);
}
