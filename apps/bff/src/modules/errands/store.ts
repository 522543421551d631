import {
  ACTIVE_TASK_STATUSES,
  OPEN_STATUSES,
  allowedFromStatuses,
  canTransition,
  transitionTarget,
  STATUS_LABELS,
  type Actor,
  type ErrandCategory,
  type ErrandItem,
  type SlaTier,
  type Urgency,
  type ErrandStatus,
  type ErrandTransition,
} from '@linli/contracts';
import {
  BatchGuardError,
  bool,
  num,
  numOrNull,
  type BatchOptions,
  type BatchResult,
  type IdParam,
  type Row,
  type Sql,
  type Statement,
} from '../../infra/db/database';
import type { SqlDialect } from '../../infra/db/dialect';
import { conflict, notFound } from '../../errors';
import { announceOutbox, errandChangedStatement, recordOffersWithdrawn } from '../live/outbox';
import type { ErrandRecord, TimelineRow } from './domain';
import { withdrawOpenOffersStatement } from '../dispatch/offers';
import { statusChangeStatement } from './status-counts';
import { countTransition, transitionStatements as transitionCountStatements, type TransitionFacts } from '../stats/rollup';

// SQL for errands, shared by the use cases in service.ts and lifecycle.ts.

const RECORD_COLUMNS = `e.id, e.public_id, e.community_id, e.building_id, e.household_id, e.requester_id, e.on_behalf, e.category,
         e.items_json, e.heavy, e.urgency, e.vulnerable, e.window_start, e.window_end, e.notes, e.status, e.helper_id,
         e.handover_code, e.version, e.dispatch_round, e.rating_stars, e.rating_comment, e.created_at, e.updated_at,
         e.sla_tier, e.due_at, e.compound_id, e.accepted_at,
         cp.name AS compound_name, cp.lockdown, b.name AS building_name, b.has_lift,
         hh.unit, hh.floor, hh.room, hh.contact_name, hh.phone AS contact_phone,
         hu.name AS helper_name, hu.phone AS helper_phone, hp.kind AS helper_kind, co.duty_phone`;
const RECORD_FROM = `
    FROM errands e
    JOIN buildings b ON b.id = e.building_id
    JOIN compounds cp ON cp.id = e.compound_id
    JOIN households hh ON hh.id = e.household_id
    LEFT JOIN helpers hp ON hp.id = e.helper_id
    LEFT JOIN users hu ON hu.id = hp.user_id
    LEFT JOIN communities co ON co.id = e.community_id`;
const RECORD_SELECT = `SELECT ${RECORD_COLUMNS} ${RECORD_FROM}`;

/**
 * The errand with what a helper's accept decides on, in one read: whether they hold an open
 * offer for it (or ever held one), and how many errands they carry against their capacity.
 */
export function recordForAcceptStatement(publicId: string, helperId: number, now: number): Statement {
  return {
    sql: `SELECT ${RECORD_COLUMNS},
                 (SELECT COUNT(*) FROM offers o WHERE o.errand_id = e.id AND o.helper_id = ? AND o.status = 'open' AND o.expires_at > ?) AS my_open_offers,
                 (SELECT COUNT(*) FROM offers o WHERE o.errand_id = e.id AND o.helper_id = ?) AS my_offers,
                 (SELECT COUNT(*) FROM errands x WHERE x.helper_id = ? AND x.status IN (${ACTIVE_TASK_STATUSES.map(() => '?').join(', ')})) AS my_active,
                 (SELECT capacity FROM helpers WHERE id = ?) AS my_capacity
            ${RECORD_FROM} WHERE e.public_id = ?`,
    params: [helperId, now, helperId, helperId, ...ACTIVE_TASK_STATUSES, helperId, publicId],
  };
}

export function toRecord(r: Record<string, unknown>): ErrandRecord {
  return {
    id: num(r.id),
    publicId: String(r.public_id),
    communityId: num(r.community_id),
    compoundId: num(r.compound_id),
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
    acceptedAt: numOrNull(r.accepted_at),
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
  const r = await sql.one(`SELECT status, version, handover_failures FROM errands WHERE id = ?${sql.sqlDialect.forUpdate}`, [id]);
  if (!r) throw notFound('没有找到这个代办');
  return { status: r.status as ErrandStatus, version: num(r.version), handoverFailures: num(r.handover_failures) };
}

export async function timelineOf(sql: Sql, errandId: number): Promise<TimelineRow[]> {
  const s = timelineStatement(errandId);
  return (await sql.all(s.sql, s.params)).map(toTimelineRow);
}

export function toTimelineRow(r: Row): TimelineRow {
  return {
    at: num(r.created_at),
    from: (r.from_status as ErrandStatus | null) ?? null,
    to: r.to_status as ErrandStatus,
    actorRole: r.actor_role as Actor,
    actorUserId: r.actor_user_id === null || r.actor_user_id === undefined ? null : num(r.actor_user_id),
    note: (r.note as string | null) ?? null,
  };
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
  /** The errand's columns the statistics need, when the caller read them already (else they are read). */
  facts?: TransitionFacts;
  /** Only while fewer wrong handover codes were tried (a delivery by code). */
  handoverFailuresBelow?: number;
}

const lostRace = (step: ErrandTransition) =>
  conflict(
    step === 'accept' ? 'ERRAND_TAKEN' : 'ERRAND_CHANGED',
    step === 'accept' ? '来晚了一步，这个代办已被其他人接单' : '代办状态刚刚发生了变化，请刷新后再试',
  );

/**
 * One lifecycle step as statements: a single conditional UPDATE (allowed from-states and the
 * version we read) that must change the row, then its timeline row, status counts, statistics
 * (when `facts` are given) and live events. Sent as one batch, a lost race stops it at the UPDATE.
 */
export function transitionStatements(dialect: SqlDialect, t: TransitionInput): Statement[] {
  const { errand, step, actor, now } = t;
  if (!canTransition(step, actor.role, errand.status)) {
    throw conflict('INVALID_TRANSITION', `代办当前状态为「${STATUS_LABELS[errand.status]}」，不能进行此操作`);
  }
  const from = allowedFromStatuses(step, actor.role);
  const to = transitionTarget(step);
  const set = Object.entries(t.set ?? {}) as [SettableColumn, number | null][];
  const failures = t.handoverFailuresBelow;
  const helperChanges = t.set !== undefined && 'helper_id' in t.set && (errand.helperId ?? null) !== null;
  const counts = statusChangeStatement(errand.id, errand.communityId, errand.status, to);
  return [
    {
      sql: `UPDATE errands SET status = ?, version = version + 1, updated_at = ?${set.map(([c]) => `, ${c} = ?`).join('')}
             WHERE id = ? AND status IN (${from.map(() => '?').join(', ')}) AND version = ?${failures === undefined ? '' : ' AND handover_failures < ?'}`,
      params: [to, now, ...set.map(([, v]) => v), errand.id, ...from, errand.version, ...(failures === undefined ? [] : [failures])],
      requireOneRow: true,
    },
    eventsInsertStatement(errand, [
      { at: now, from: errand.status, to, actorRole: actor.role, actorUserId: actor.userId, note: t.note ?? null },
    ]),
    ...(counts ? [counts] : []),
    ...(t.facts ? transitionCountStatements(dialect, t.facts, to, now) : []),
    errandChangedStatement(errand.id, now, helperChanges ? errand.helperId! : null),
  ];
}

/** Runs `statements` (a transition's, and more) as one batch; a lost race is a 409 and changes nothing. */
export async function sendTransition(
  sql: Sql,
  step: ErrandTransition,
  statements: Statement[],
  options?: BatchOptions,
): Promise<BatchResult[]> {
  try {
    const results = await sql.batch(statements, options);
    announceOutbox(sql);
    return results;
  } catch (err) {
    if (err instanceof BatchGuardError) throw lostRace(step);
    throw err;
  }
}

/**
 * One lifecycle step (transitionStatements) inside the caller's transaction. Losing a race is a
 * 409 and changes nothing. Returns the new version.
 */
export async function applyTransition(sql: Sql, t: TransitionInput): Promise<number> {
  await sendTransition(sql, t.step, transitionStatements(sql.sqlDialect, t));
  if (!t.facts) await countTransition(sql, t.errand.id, transitionTarget(t.step), t.now);
  return t.errand.version + 1;
}

/** What the statistics need of an errand record. */
export const factsOf = (e: ErrandRecord): TransitionFacts => ({
  communityId: e.communityId,
  compoundId: e.compoundId,
  category: e.category,
  urgency: e.urgency,
  vulnerable: e.vulnerable,
  helperId: e.helperId,
  createdAt: e.createdAt,
  acceptedAt: e.acceptedAt,
  dueAt: e.dueAt,
});

/** The record and its timeline as statements, to read them in the packet that changed them. */
export const recordStatement = (errandId: number): Statement => ({ sql: `${RECORD_SELECT} WHERE e.id = ?`, params: [errandId] });
export const timelineStatement = (errandId: number): Statement => ({
  sql: 'SELECT created_at, from_status, to_status, actor_role, actor_user_id, note FROM errand_events WHERE errand_id = ? ORDER BY id',
  params: [errandId],
});

export async function withdrawOpenOffers(sql: Sql, errandId: number, now: number): Promise<void> {
  await recordOffersWithdrawn(sql, errandId, now);
  const withdraw = withdrawOpenOffersStatement(errandId, now);
  await sql.run(withdraw.sql, withdraw.params);
}

// Appended by the "structure" helper (table ownership, issue 13.1): reads other modules need of
// errands, so that only this module's SQL names the table.

/** The internal id of an errand by its public id, or null. */
export async function errandIdOfPublicId(sql: Sql, publicId: string): Promise<number | null> {
  const r = await sql.one('SELECT id FROM errands WHERE public_id = ?', [publicId]);
  return r ? num(r.id) : null;
}

/** Public ids of these errands (by internal id; unknown ids are absent). */
export async function errandPublicIds(sql: Sql, errandIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(errandIds)];
  if (ids.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, public_id FROM errands WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return new Map(rows.map((r) => [num(r.id), String(r.public_id)]));
}

/** Errands per helper in any of `statuses` (helpers with none are absent). */
export async function errandCountsByHelper(
  sql: Sql,
  helperIds: readonly number[],
  statuses: readonly ErrandStatus[],
): Promise<Map<number, number>> {
  const ids = [...new Set(helperIds)];
  if (ids.length === 0 || statuses.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT helper_id, COUNT(*) AS n FROM errands
      WHERE helper_id IN (${ids.map(() => '?').join(', ')}) AND status IN (${statuses.map(() => '?').join(', ')})
      GROUP BY helper_id`,
    [...ids, ...statuses],
  );
  return new Map(rows.map((r) => [num(r.helper_id), num(r.n)]));
}

/** Open errands per community and status, for the oversight roll-up (one index range per community). */
export async function openErrandCounts(
  sql: Sql,
  communityIds: readonly number[],
  statuses: readonly ErrandStatus[],
): Promise<{ communityId: number; status: ErrandStatus; errands: number }[]> {
  if (communityIds.length === 0 || statuses.length === 0) return [];
  const rows = await sql.all(
    `SELECT community_id, status, COUNT(*) AS n FROM errands
      WHERE community_id IN (${communityIds.map(() => '?').join(', ')}) AND status IN (${statuses.map(() => '?').join(', ')})
      GROUP BY community_id, status`,
    [...communityIds, ...statuses],
  );
  return rows.map((r) => ({ communityId: num(r.community_id), status: r.status as ErrandStatus, errands: num(r.n) }));
}

/** Retention: a page of closed errands past `cutoff` whose free text has not been minimised yet. */
export async function closedErrandsToMinimise(
  sql: Sql,
  cutoff: number,
  limit: number,
): Promise<{ id: number; category: ErrandRecord['category']; itemsJson: string }[]> {
  const rows = await sql.all(
    `SELECT id, category, items_json FROM errands
      WHERE status IN ('completed', 'cancelled') AND minimised_at IS NULL AND COALESCE(completed_at, cancelled_at, updated_at) < ?
      ORDER BY id LIMIT ?`,
    [cutoff, limit],
  );
  return rows.map((r) => ({ id: num(r.id), category: r.category as ErrandRecord['category'], itemsJson: String(r.items_json) }));
}

/**
 * Retention: an errand keeps only the minimised items and loses what people typed (notes, rating
 * comment, the non-system notes of its timeline). Idempotent.
 */
export async function minimiseErrands(tx: Sql, errands: readonly { id: number; itemsJson: string }[], at: number): Promise<void> {
  if (errands.length === 0) return;
  for (const e of errands) {
    await tx.run(
      'UPDATE errands SET items_json = ?, notes = NULL, rating_comment = NULL, minimised_at = ? WHERE id = ? AND minimised_at IS NULL',
      [e.itemsJson, at, e.id],
    );
  }
  const ids = errands.map((e) => e.id);
  // System notes are fixed phrases; what people wrote (reasons, delivery notes) goes.
  await tx.run(
    `UPDATE errand_events SET note = NULL WHERE errand_id IN (${ids.map(() => '?').join(', ')}) AND actor_role <> 'system'`,
    ids,
  );
}

/** Retention: idempotency records (each holds a full errand view) go once expired. Returns how many. */
export async function purgeExpiredIdempotencyKeys(sql: Sql, now: number): Promise<number> {
  return (await sql.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', [now])).affectedRows;
}

/** A new errand's row, written in its state after its first dispatch round (see errands/create.ts). */
export interface NewErrandRow {
  publicId: string;
  communityId: number;
  compoundId: number;
  buildingId: number;
  householdId: number;
  requesterId: number;
  onBehalf: boolean;
  category: ErrandCategory;
  items: readonly ErrandItem[];
  heavy: boolean;
  urgency: Urgency;
  vulnerable: boolean;
  windowStart: number | null;
  windowEnd: number | null;
  notes: string | null;
  status: ErrandStatus;
  handoverCode: string;
  dispatchRound: number;
  version: number;
  queueRank: number;
  slaTier: SlaTier;
  dueAt: number;
  createdAt: number;
}

export function errandInsertStatement(e: NewErrandRow): Statement {
  return {
    sql: `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, on_behalf, category,
                               items_json, heavy, urgency, vulnerable, window_start, window_end, notes, status, helper_id,
                               handover_code, dispatch_round, version, queue_rank, sla_tier, due_at, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      e.publicId,
      e.communityId,
      e.compoundId,
      e.buildingId,
      e.householdId,
      e.requesterId,
      e.onBehalf,
      e.category,
      JSON.stringify(e.items),
      e.heavy,
      e.urgency,
      e.vulnerable,
      e.windowStart,
      e.windowEnd,
      e.notes,
      e.status,
      e.handoverCode,
      e.dispatchRound,
      e.version,
      e.queueRank,
      e.slaTier,
      e.dueAt,
      e.createdAt,
      e.createdAt,
    ],
  };
}

/** Timeline rows of one errand in one INSERT. */
export function eventsInsertStatement(e: { id: IdParam; communityId: number }, events: readonly TimelineRow[]): Statement {
  return {
    sql: `INSERT INTO errand_events (errand_id, community_id, actor_user_id, actor_role, from_status, to_status, note, created_at)
          VALUES ${events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    params: events.flatMap((v) => [e.id, e.communityId, v.actorUserId, v.actorRole, v.from, v.to, v.note, v.at]),
  };
}

/** How many of the household's errands are open. */
export function openErrandCountStatement(householdId: number): Statement {
  return {
    sql: `SELECT COUNT(*) AS n FROM errands WHERE household_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})`,
    params: [householdId, ...OPEN_STATUSES],
  };
}

export interface StoredIdempotencyKey {
  requestHash: string;
  statusCode: number;
  responseJson: string;
  expiresAt: number;
}

export function idempotencyKeyReadStatement(userId: number, key: string): Statement {
  return {
    sql: 'SELECT request_hash, status_code, response_json, expires_at FROM idempotency_keys WHERE user_id = ? AND idem_key = ?',
    params: [userId, key],
  };
}

export const toIdempotencyKey = (r: Row): StoredIdempotencyKey => ({
  requestHash: String(r.request_hash),
  statusCode: num(r.status_code),
  responseJson: String(r.response_json),
  expiresAt: num(r.expires_at),
});

export function idempotencyKeyDeleteExpiredStatement(userId: number, key: string, now: number): Statement {
  return { sql: 'DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND expires_at <= ?', params: [userId, key, now] };
}

/** Inserted in the create's last packet: a concurrent twin with the same key collides here and rolls back whole. */
export function idempotencyKeyInsertStatement(
  k: { userId: number; key: string; requestHash: string; response: unknown },
  now: number,
  expiresAt: number,
): Statement {
  return {
    sql: `INSERT INTO idempotency_keys (user_id, idem_key, request_hash, status_code, response_json, created_at, expires_at)
          VALUES (?, ?, ?, 201, ?, ?, ?)`,
    params: [k.userId, k.key, k.requestHash, JSON.stringify(k.response), now, expiresAt],
  };
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

/** How many errands of each household are open (households with none are absent from the map). */
export async function openErrandCountsOfHouseholds(sql: Sql, householdIds: readonly number[]): Promise<Map<number, number>> {
  if (householdIds.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT household_id, COUNT(*) AS n FROM errands
      WHERE household_id IN (${householdIds.map(() => '?').join(', ')}) AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})
      GROUP BY household_id`,
    [...householdIds, ...OPEN_STATUSES],
  );
  return new Map(rows.map((r) => [num(r.household_id), num(r.n)]));
}
