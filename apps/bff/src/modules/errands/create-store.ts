import { OPEN_STATUSES, type ErrandItem } from '@linli/contracts';
import { num, type Row, type Sql, type Statement } from '../../infra/db/database';
import type { ErrandRecord } from './domain';

// A new errand's row, the household's open-errand count and idempotency keys: the statements the
// create sends in its packets (errands/create.ts), and the key reads of a replay.

/** A new errand's row, written in its state after its first dispatch round (see errands/create.ts). */
export type NewErrandRow = Pick<
  ErrandRecord,
  | 'publicId'
  | 'communityId'
  | 'compoundId'
  | 'buildingId'
  | 'householdId'
  | 'requesterId'
  | 'onBehalf'
  | 'category'
  | 'heavy'
  | 'urgency'
  | 'vulnerable'
  | 'windowStart'
  | 'windowEnd'
  | 'notes'
  | 'status'
  | 'handoverCode'
  | 'dispatchRound'
  | 'version'
  | 'slaTier'
  | 'dueAt'
  | 'createdAt'
> & { items: readonly ErrandItem[]; queueRank: number };

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

/** How many of the household's errands are open (read with toOpenErrandCount). */
export function openErrandCountStatement(householdId: number): Statement {
  return {
    sql: `SELECT COUNT(*) AS n FROM errands WHERE household_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})`,
    params: [householdId, ...OPEN_STATUSES],
  };
}

export const toOpenErrandCount = (rows: readonly Row[]): number => num(rows[0]?.n);

export interface StoredIdempotencyKey {
  requestHash: string;
  statusCode: number;
  responseJson: string;
  expiresAt: number;
}

/** The key's record, if any (read with toIdempotencyKey). */
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

export async function findIdempotencyKey(sql: Sql, userId: number, key: string): Promise<StoredIdempotencyKey | null> {
  const s = idempotencyKeyReadStatement(userId, key);
  const r = await sql.one(s.sql, s.params);
  return r ? toIdempotencyKey(r) : null;
}

export function idempotencyKeyDeleteExpiredStatement(userId: number, key: string, now: number): Statement {
  return { sql: 'DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND expires_at <= ?', params: [userId, key, now] };
}

export async function deleteExpiredIdempotencyKey(sql: Sql, userId: number, key: string, now: number): Promise<void> {
  const s = idempotencyKeyDeleteExpiredStatement(userId, key, now);
  await sql.run(s.sql, s.params);
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
