import {
  allowedFromStatuses,
  canTransition,
  transitionTarget,
  refusedStepText,
  type Actor,
  type ErrandCategory,
  type ErrandStatus,
  type ErrandTransition,
  type Urgency,
} from '@linli/contracts';
import {
  BatchGuardError,
  bool,
  num,
  numOrNull,
  type BatchOptions,
  type BatchResult,
  type IdParam,
  type Sql,
  type Statement,
} from '../../infra/db/database';
import type { SqlDialect } from '../../infra/db/dialect';
import { conflict } from '../../errors';
import { announceOutbox, errandChangedStatement, recordOffersWithdrawn } from '../live/outbox';
import { withdrawOpenOffersStatement } from '../dispatch/offer-store';
import { countsTransition, transitionStatements as transitionCountStatements, type TransitionFacts } from '../stats/rollup';
import type { ErrandRecord, TimelineRow } from './domain';
import { statusChangeStatement } from './status-count-store';

// The writes of an errand's life after creation: each lifecycle step as one conditional UPDATE
// with its timeline row, status counts, statistics and live events, and the few writes beside it.

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

/** A conditional UPDATE changed nothing: someone else's step came first (for accept: someone won). */
export const lostRace = (step: ErrandTransition) =>
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
    throw conflict('INVALID_TRANSITION', refusedStepText(step, errand.status));
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
      requireRows: 1,
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
 * 409 and changes nothing. Without `facts`, the statistics read them from the row afterwards.
 * Returns the new version.
 */
export async function applyTransition(sql: Sql, t: TransitionInput): Promise<number> {
  await sendTransition(sql, t.step, transitionStatements(sql.sqlDialect, t));
  const to = transitionTarget(t.step);
  if (!t.facts && countsTransition(to)) {
    const facts = await transitionFactsOf(sql, t.errand.id);
    if (facts) await sql.batch(transitionCountStatements(sql.sqlDialect, facts, to, t.now));
  }
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

/** What the statistics need of an errand, read from its row by primary key. */
async function transitionFactsOf(sql: Sql, errandId: number): Promise<TransitionFacts | null> {
  const r = await sql.one(
    'SELECT community_id, compound_id, category, urgency, vulnerable, helper_id, created_at, accepted_at, due_at FROM errands WHERE id = ?',
    [errandId],
  );
  if (!r) return null;
  return {
    communityId: num(r.community_id),
    compoundId: num(r.compound_id),
    category: r.category as ErrandCategory,
    urgency: r.urgency as Urgency,
    vulnerable: bool(r.vulnerable),
    helperId: numOrNull(r.helper_id),
    createdAt: num(r.created_at),
    acceptedAt: numOrNull(r.accepted_at),
    dueAt: num(r.due_at ?? 0),
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

/** A timeline row that is no status change (a wrong handover code). */
export async function insertEvent(
  sql: Sql,
  e: { id: number; communityId: number },
  actor: { userId: number | null; role: Actor },
  from: ErrandStatus | null,
  to: ErrandStatus,
  note: string | null,
  now: number,
): Promise<void> {
  const s = eventsInsertStatement(e, [{ at: now, from, to, actorRole: actor.role, actorUserId: actor.userId, note }]);
  await sql.run(s.sql, s.params);
}

/** Tells the helpers of the errand's open offers they are withdrawn, then withdraws them. */
export async function withdrawOpenOffers(sql: Sql, errandId: number, now: number): Promise<void> {
  await recordOffersWithdrawn(sql, errandId, now);
  const withdraw = withdrawOpenOffersStatement(errandId, now);
  await sql.run(withdraw.sql, withdraw.params);
}

/**
 * One more wrong handover code, counted only while fewer than `max` were tried (one conditional
 * UPDATE, so concurrent tries cannot pass the limit). False when the limit had been reached.
 */
export async function countWrongHandoverCode(tx: Sql, errandId: number, max: number, now: number): Promise<boolean> {
  const res = await tx.run(
    "UPDATE errands SET handover_failures = handover_failures + 1, updated_at = ? WHERE id = ? AND status = 'in_progress' AND handover_failures < ?",
    [now, errandId, max],
  );
  return res.affectedRows === 1;
}

/** The household's rating, written once: false when the errand was rated already. */
export async function setRating(tx: Sql, errandId: number, stars: number, comment: string | null, at: number): Promise<boolean> {
  const res = await tx.run(
    'UPDATE errands SET rating_stars = ?, rating_comment = ?, updated_at = ? WHERE id = ? AND rating_stars IS NULL',
    [stars, comment, at, errandId],
  );
  return res.affectedRows === 1;
}
