import {
  allowedFromStatuses,
  canTransition,
  transitionTarget,
  STATUS_LABELS,
  type Actor,
  type ErrandItem,
  type ErrandStatus,
  type ErrandTransition,
} from '@linli/contracts';
import { bool, num, numOrNull, type Sql } from '../../infra/db/database';
import { conflict, notFound } from '../../errors';
import { recordErrandChanged, recordOffersWithdrawn } from '../live/outbox';
import type { ErrandRecord, TimelineRow } from './domain';
import { countStatusChange } from './status-counts';
import { countTransition } from '../stats/rollup';

// SQL for errands, shared by the use cases in service.ts and lifecycle.ts.

const RECORD_SELECT = `
  SELECT e.id, e.public_id, e.community_id, e.building_id, e.household_id, e.requester_id, e.on_behalf, e.category,
         e.items_json, e.heavy, e.urgency, e.vulnerable, e.window_start, e.window_end, e.notes, e.status, e.helper_id,
         e.handover_code, e.version, e.dispatch_round, e.rating_stars, e.rating_comment, e.created_at, e.updated_at,
         e.sla_tier, e.due_at,
         cp.name AS compound_name, cp.lockdown, b.name AS building_name, b.has_lift,
         hh.unit, hh.floor, hh.room, hh.contact_name, hh.phone AS contact_phone,
         hu.name AS helper_name, hu.phone AS helper_phone, hp.kind AS helper_kind, co.duty_phone
    FROM errands e
    JOIN buildings b ON b.id = e.building_id
    JOIN compounds cp ON cp.id = e.compound_id
    JOIN households hh ON hh.id = e.household_id
    LEFT JOIN helpers hp ON hp.id = e.helper_id
    LEFT JOIN users hu ON hu.id = hp.user_id
    LEFT JOIN communities co ON co.id = e.community_id`;

export function toRecord(r: Record<string, unknown>): ErrandRecord {
  return {
    id: num(r.id),
    publicId: String(r.public_id),
    communityId: num(r.community_id),
    buildingId: num(r.building_id),
    householdId: num(r.household_id),
    requesterId: num(r.requester_id),
    onBehalf: bool(r.on_behalf),
    category: r.category as ErrandRecord['category'],
    items: JSON.parse(String(r.items_json)) as ErrandItem[],
    heavy: bool(r.heavy),
    urgency: r.urgency as ErrandRecord['urgency'],
    vulnerable: bool(r.vulnerable),
    windowStart: numOrNull(r.window_start),
    windowEnd: numOrNull(r.window_end),
    notes: (r.notes as string | null) ?? null,
    status: r.status as ErrandStatus,
    helperId: numOrNull(r.helper_id),
    handoverCode: String(r.handover_code),
    version: num(r.version),
    dispatchRound: num(r.dispatch_round),
    ratingStars: numOrNull(r.rating_stars),
    ratingComment: (r.rating_comment as string | null) ?? null,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    slaTier: r.sla_tier as ErrandRecord['slaTier'],
    dueAt: num(r.due_at),
    compoundName: String(r.compound_name),
    lockdown: r.lockdown as ErrandRecord['lockdown'],
    buildingName: String(r.building_name),
    hasLift: bool(r.has_lift),
    unit: String(r.unit),
    floor: num(r.floor),
    room: String(r.room),
    contactName: String(r.contact_name),
    contactPhone: String(r.contact_phone),
    helperName: (r.helper_name as string | null) ?? null,
    helperPhone: (r.helper_phone as string | null) ?? null,
    helperKind: (r.helper_kind as ErrandRecord['helperKind']) ?? null,
    dutyPhone: (r.duty_phone as string | null) ?? null,
  };
}

export async function findRecord(sql: Sql, publicId: string): Promise<ErrandRecord | undefined> {
  const r = await sql.one(`${RECORD_SELECT} WHERE e.public_id = ?`, [publicId]);
  return r ? toRecord(r) : undefined;
}

export async function requireRecord(sql: Sql, publicId: string): Promise<ErrandRecord> {
  const e = await findRecord(sql, publicId);
  if (!e) throw notFound('没有找到这个代办');
  return e;
}

export async function findRecords(sql: Sql, where: string, params: unknown[], orderAndLimit: string): Promise<ErrandRecord[]> {
  const rows = await sql.all(`${RECORD_SELECT} WHERE ${where} ${orderAndLimit}`, params);
  return rows.map(toRecord);
}

/** Locks the errand row until the transaction ends (MySQL; SQLite has one writer anyway). */
export async function lockErrand(sql: Sql, id: number): Promise<{ status: ErrandStatus; version: number; handoverFailures: number }> {
  const r = await sql.one(
    `SELECT status, version, handover_failures FROM errands WHERE id = ?${sql.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
    [id],
  );
  if (!r) throw notFound('没有找到这个代办');
  return { status: r.status as ErrandStatus, version: num(r.version), handoverFailures: num(r.handover_failures) };
}

export async function timelineOf(sql: Sql, errandId: number): Promise<TimelineRow[]> {
  const rows = await sql.all(
    'SELECT created_at, from_status, to_status, actor_role, actor_user_id, note FROM errand_events WHERE errand_id = ? ORDER BY id',
    [errandId],
  );
  return rows.map((r) => ({
    at: num(r.created_at),
    from: (r.from_status as ErrandStatus | null) ?? null,
    to: r.to_status as ErrandStatus,
    actorRole: r.actor_role as Actor,
    actorUserId: r.actor_user_id === null || r.actor_user_id === undefined ? null : num(r.actor_user_id),
    note: (r.note as string | null) ?? null,
  }));
}

export async function hasOpenOffer(sql: Sql, errandId: number, helperId: number | null, now: number): Promise<boolean> {
  if (helperId === null) return false;
  const r = await sql.one("SELECT 1 AS ok FROM offers WHERE errand_id = ? AND helper_id = ? AND status = 'open' AND expires_at > ?", [
    errandId,
    helperId,
    now,
  ]);
  return r !== undefined;
}

/** Whether the helper was ever offered the errand, in any round and whatever became of the offer. */
export async function wasOffered(sql: Sql, errandId: number, helperId: number): Promise<boolean> {
  return (await sql.one('SELECT 1 AS ok FROM offers WHERE errand_id = ? AND helper_id = ? LIMIT 1', [errandId, helperId])) !== undefined;
}

export async function insertEvent(
  sql: Sql,
  e: { id: number; communityId: number },
  actor: { userId: number | null; role: Actor },
  from: ErrandStatus | null,
  to: ErrandStatus,
  note: string | null,
  now: number,
): Promise<void> {
  await sql.run(
    `INSERT INTO errand_events (errand_id, community_id, actor_user_id, actor_role, from_status, to_status, note, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.id, e.communityId, actor.userId, actor.role, from, to, note, now],
  );
}

/** Columns a transition may set besides status and version (a fixed list: never built from input). */
type SettableColumn =
  | 'helper_id'
  | 'dispatch_round'
  | 'attempt_start_round'
  | 'accepted_at'
  | 'picked_up_at'
  | 'delivered_at'
  | 'completed_at'
  | 'cancelled_at';

export interface TransitionInput {
  /** `helperId`, when known, is the helper before the change: told if the change takes the errand from them. */
  errand: { id: number; communityId: number; status: ErrandStatus; version: number; helperId?: number | null };
  step: ErrandTransition;
  actor: { userId: number | null; role: Actor };
  set?: Partial<Record<SettableColumn, number | null>>;
  note?: string | null;
  now: number;
}

/**
 * One lifecycle step: a single conditional UPDATE (allowed from-states and the version we read)
 * plus its timeline row and its live events, inside the caller's transaction. Losing a race is a 409
 * and changes nothing.
 * Returns the new version.
 */
export async function applyTransition(sql: Sql, t: TransitionInput): Promise<number> {
  const { errand, step, actor, now } = t;
  if (!canTransition(step, actor.role, errand.status)) {
    throw conflict('INVALID_TRANSITION', `代办当前状态为「${STATUS_LABELS[errand.status]}」，不能进行此操作`);
  }
  const from = allowedFromStatuses(step, actor.role);
  const to = transitionTarget(step);
  const set = Object.entries(t.set ?? {}) as [SettableColumn, number | null][];
  const res = await sql.run(
    `UPDATE errands SET status = ?, version = version + 1, updated_at = ?${set.map(([c]) => `, ${c} = ?`).join('')}
      WHERE id = ? AND status IN (${from.map(() => '?').join(', ')}) AND version = ?`,
    [to, now, ...set.map(([, v]) => v), errand.id, ...from, errand.version],
  );
  if (res.affectedRows !== 1) {
    throw conflict(
      step === 'accept' ? 'ERRAND_TAKEN' : 'ERRAND_CHANGED',
      step === 'accept' ? '来晚了一步，这个代办已被其他人接单' : '代办状态刚刚发生了变化，请刷新后再试',
    );
  }
  await insertEvent(sql, errand, actor, errand.status, to, t.note ?? null, now);
  await countStatusChange(sql, errand.id, errand.communityId, errand.status, to);
  await countTransition(sql, errand.id, to, now);
  const helperChanges = t.set !== undefined && 'helper_id' in t.set && (errand.helperId ?? null) !== null;
  await recordErrandChanged(sql, errand.id, now, helperChanges ? errand.helperId! : null);
  return errand.version + 1;
}

export async function withdrawOpenOffers(sql: Sql, errandId: number, now: number): Promise<void> {
  await recordOffersWithdrawn(sql, errandId, now);
  await sql.run("UPDATE offers SET status = 'withdrawn', responded_at = ? WHERE errand_id = ? AND status = 'open'", [now, errandId]);
}

/** What a subscribe message says about an errand (notifications/planner.ts), and where to ask for the rest. */
export interface ErrandMessageFacts {
  id: number;
  publicId: string;
  category: import('@linli/contracts').ErrandCategory;
  items: ErrandItem[];
  urgency: import('@linli/contracts').Urgency;
  compoundId: number;
  buildingId: number;
  householdId: number | null;
}

/** The errands of these ids (absent ones are left out), one read by primary key. */
export async function errandMessageFacts(sql: Sql, ids: number[]): Promise<Map<number, ErrandMessageFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT id, public_id, category, items_json, urgency, compound_id, building_id, household_id
       FROM errands WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  return new Map(
    rows.map((r) => [
      num(r.id),
      {
        id: num(r.id),
        publicId: String(r.public_id),
        category: r.category as ErrandMessageFacts['category'],
        items: JSON.parse(String(r.items_json)) as ErrandItem[],
        urgency: r.urgency as ErrandMessageFacts['urgency'],
        compoundId: num(r.compound_id),
        buildingId: num(r.building_id),
        householdId: numOrNull(r.household_id),
      },
    ]),
  );
}
