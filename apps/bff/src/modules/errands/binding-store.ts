import type { ErrandStatus } from '@linli/contracts';
import { num, type Row, type Sql } from '../../infra/db/database';

// Privacy-number bindings (privacy_bindings): one live row per errand, keyed by `live_key`, first a
// claim (no binding id yet) and then the provider's binding; retired rows wait to be unbound. The
// release pass's statements all start from `unbound_at IS NULL` (indexed): only the few live rows are read.

/** The provider's binding of a row; null while the row is only a claim (a bind in flight). */
export interface Bound {
  bindingId: string;
  middleNumber: string;
}

const boundOf = (r: Row): Bound | null =>
  r.binding_id === null ? null : { bindingId: String(r.binding_id), middleNumber: String(r.middle_number) };

/** The errand's live row: its binding, or the claim of a bind in flight. */
export interface LiveBinding {
  id: number;
  helperId: number;
  bound: Bound | null;
  createdAt: number;
  expiresAt: number;
}

export async function liveBindingOf(sql: Sql, errandId: number): Promise<LiveBinding | null> {
  const r = await sql.one(
    'SELECT id, helper_id, binding_id, middle_number, created_at, expires_at FROM privacy_bindings WHERE live_key = ?',
    [errandId],
  );
  if (!r) return null;
  return { id: num(r.id), helperId: num(r.helper_id), bound: boundOf(r), createdAt: num(r.created_at), expiresAt: num(r.expires_at) };
}

/** A row by its id, or null when the claim was dropped. */
export async function bindingById(sql: Sql, id: number): Promise<{ bound: Bound | null; expiresAt: number } | null> {
  const r = await sql.one('SELECT binding_id, middle_number, expires_at FROM privacy_bindings WHERE id = ?', [id]);
  return r ? { bound: boundOf(r), expiresAt: num(r.expires_at) } : null;
}

/**
 * The errand's live row is outdated (another helper, about to expire) or a claim whose caller
 * died: a claim is dropped, a binding retired (no longer live) for the release pass to unbind.
 */
export async function retireBinding(sql: Sql, id: number): Promise<void> {
  await dropClaim(sql, id);
  await sql.run('UPDATE privacy_bindings SET live_key = NULL WHERE id = ?', [id]);
}

/** Claims the errand's live row before binding. Throws when another call claimed it first (unique live_key). */
export async function claimBinding(
  sql: Sql,
  c: { errandId: number; communityId: number; helperId: number; at: number; expiresAt: number },
): Promise<number> {
  const claim = await sql.run(
    `INSERT INTO privacy_bindings (errand_id, community_id, helper_id, live_key, created_at, expires_at, unbind_attempts, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
    [c.errandId, c.communityId, c.helperId, c.errandId, c.at, c.expiresAt],
  );
  return claim.insertId;
}

export async function recordBound(sql: Sql, claimId: number, bound: Bound): Promise<void> {
  await sql.run('UPDATE privacy_bindings SET binding_id = ?, middle_number = ? WHERE id = ?', [
    bound.bindingId,
    bound.middleNumber,
    claimId,
  ]);
}

/** A claim whose bind failed goes (a row that got its binding stays). */
export async function dropClaim(sql: Sql, claimId: number): Promise<void> {
  await sql.run('DELETE FROM privacy_bindings WHERE id = ? AND binding_id IS NULL', [claimId]);
}

/** Claims whose bind never finished (created before `before`) go. */
export async function dropStaleClaims(sql: Sql, before: number): Promise<void> {
  await sql.run('DELETE FROM privacy_bindings WHERE unbound_at IS NULL AND binding_id IS NULL AND created_at < ?', [before]);
}

/** Expired bindings ended at the provider by themselves: only marked. Returns how many. */
export async function markExpiredUnbound(sql: Sql, now: number): Promise<number> {
  const res = await sql.run('UPDATE privacy_bindings SET unbound_at = ?, live_key = NULL WHERE unbound_at IS NULL AND expires_at <= ?', [
    now,
    now,
  ]);
  return res.affectedRows;
}

export interface BindingToEnd {
  id: number;
  bindingId: string;
  unbindAttempts: number;
  nextAttemptAt: number;
}

/** Bound rows due for an unbind: retired, or their errand in `closed` statuses, or its helper changed. */
export async function bindingsToEnd(sql: Sql, now: number, closed: readonly ErrandStatus[], limit: number): Promise<BindingToEnd[]> {
  const rows = await sql.all(
    `SELECT pb.id, pb.binding_id, pb.unbind_attempts, pb.next_attempt_at
       FROM privacy_bindings pb JOIN errands e ON e.id = pb.errand_id
      WHERE pb.unbound_at IS NULL AND pb.binding_id IS NOT NULL AND pb.next_attempt_at <= ?
        AND (pb.live_key IS NULL OR e.status IN (${closed.map(() => '?').join(', ')}) OR e.helper_id IS NULL OR e.helper_id <> pb.helper_id)
      ORDER BY pb.next_attempt_at LIMIT ${limit}`,
    [now, ...closed],
  );
  return rows.map((r) => ({
    id: num(r.id),
    bindingId: String(r.binding_id),
    unbindAttempts: num(r.unbind_attempts),
    nextAttemptAt: num(r.next_attempt_at),
  }));
}

/** Takes the row for one unbind until `until`, unless another instance took it first. */
export async function leaseUnbind(sql: Sql, b: BindingToEnd, until: number): Promise<boolean> {
  const lease = await sql.run(
    'UPDATE privacy_bindings SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND unbound_at IS NULL',
    [until, b.id, b.nextAttemptAt],
  );
  return lease.affectedRows === 1;
}

export async function markUnbound(sql: Sql, id: number, at: number): Promise<void> {
  await sql.run('UPDATE privacy_bindings SET unbound_at = ?, live_key = NULL WHERE id = ?', [at, id]);
}

export async function postponeUnbind(sql: Sql, id: number, attempts: number, nextAttemptAt: number): Promise<void> {
  await sql.run('UPDATE privacy_bindings SET unbind_attempts = ?, next_attempt_at = ? WHERE id = ?', [attempts, nextAttemptAt, id]);
}
