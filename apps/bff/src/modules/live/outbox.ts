import { num, type IdParam, type Sql, type Statement } from '../../infra/db/database';

/** The `notifyOnCommit` topic of transactions that wrote outbox events: relays wake on it. */
export const OUTBOX_TOPIC = 'outbox';

const COLUMNS =
  '(type, community_id, errand_id, errand_public_id, status, household_id, user_id, helper_id, staff_community_id, created_at)';

/** One outbox event, when the writer knows every value already (the create path). */
export interface OutboxRow {
  type: 'errand.updated' | 'queue.changed' | 'offer.created';
  communityId: number;
  errandId: IdParam | null;
  errandPublicId: string | null;
  status: string | null;
  householdId: number | null;
  userId: number | null;
  helperId: number | null;
  staffCommunityId: number | null;
}

/**
 * Events known in full in one multi-row INSERT, in the caller's transaction; the caller calls
 * `tx.notifyOnCommit(OUTBOX_TOPIC)` (see announceOutbox) so relays wake after the commit.
 */
export function outboxInsertStatement(rows: readonly OutboxRow[], now: number): Statement {
  return {
    sql: `INSERT INTO outbox_events ${COLUMNS} VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    params: rows.flatMap((r) => [
      r.type,
      r.communityId,
      r.errandId,
      r.errandPublicId,
      r.status,
      r.householdId,
      r.userId,
      r.helperId,
      r.staffCommunityId,
      now,
    ]),
  };
}

/** Wakes the relays once `tx` has committed (after outboxInsertStatement). */
export function announceOutbox(tx: Sql): void {
  tx.notifyOnCommit(OUTBOX_TOPIC);
}

// Each writer below is one INSERT … SELECT in the caller's transaction: the event rows are built from
// the rows the change just wrote, so they commit (or roll back) together with it.

/**
 * An errand changed status: errand.updated for its household, its requester and its helper (and
 * the helper it had before, when staff moved it or the helper gave it back), and queue.changed
 * for the staff of its community. The caller announces it (announceOutbox).
 */
export function errandChangedStatement(errandId: number, now: number, previousHelperId: number | null = null): Statement {
  const params: unknown[] = [now, errandId, now, errandId];
  let previous = '';
  if (previousHelperId !== null) {
    previous = `UNION ALL SELECT 'errand.updated', community_id, id, public_id, status, NULL, NULL, ?, NULL, ? FROM errands
                 WHERE id = ? AND (helper_id IS NULL OR helper_id <> ?)`;
    params.push(previousHelperId, now, errandId, previousHelperId);
  }
  return {
    sql: `INSERT INTO outbox_events ${COLUMNS}
     SELECT 'errand.updated', community_id, id, public_id, status, household_id, requester_id, helper_id, NULL, ? FROM errands WHERE id = ?
     UNION ALL SELECT 'queue.changed', community_id, NULL, NULL, NULL, NULL, NULL, NULL, community_id, ? FROM errands WHERE id = ?
     ${previous}`,
    params,
  };
}

export async function recordErrandChanged(tx: Sql, errandId: number, now: number, previousHelperId: number | null = null): Promise<void> {
  const s = errandChangedStatement(errandId, now, previousHelperId);
  await tx.run(s.sql, s.params);
  tx.notifyOnCommit(OUTBOX_TOPIC);
}

/** queue.changed for the staff of the errand's community, with no status change (an errand went overdue). */
export async function recordQueueChanged(tx: Sql, errandId: number, now: number): Promise<void> {
  await tx.run(
    `INSERT INTO outbox_events ${COLUMNS}
     SELECT 'queue.changed', community_id, NULL, NULL, NULL, NULL, NULL, NULL, community_id, ? FROM errands WHERE id = ?`,
    [now, errandId],
  );
  tx.notifyOnCommit(OUTBOX_TOPIC);
}

/** offer.created for every helper offered the errand in this round. */
export async function recordOffersCreated(tx: Sql, errandId: number, round: number, now: number): Promise<void> {
  await tx.run(
    `INSERT INTO outbox_events ${COLUMNS}
     SELECT 'offer.created', o.community_id, o.errand_id, e.public_id, NULL, NULL, NULL, o.helper_id, NULL, ?
       FROM offers o JOIN errands e ON e.id = o.errand_id
      WHERE o.errand_id = ? AND o.round = ? AND o.status = 'open'`,
    [now, errandId, round],
  );
  tx.notifyOnCommit(OUTBOX_TOPIC);
}

/**
 * offer.withdrawn for every helper whose offer is still open (of one round, if given): sent just
 * before closing those offers, so their helpers drop them from the list at once.
 */
export function offersWithdrawnStatement(errandId: number, now: number, round?: number): Statement {
  return {
    sql: `INSERT INTO outbox_events ${COLUMNS}
     SELECT 'offer.withdrawn', o.community_id, o.errand_id, e.public_id, NULL, NULL, NULL, o.helper_id, NULL, ?
       FROM offers o JOIN errands e ON e.id = o.errand_id
      WHERE o.errand_id = ? AND o.status = 'open'${round === undefined ? '' : ' AND o.round = ?'}`,
    params: round === undefined ? [now, errandId] : [now, errandId, round],
  };
}

export async function recordOffersWithdrawn(tx: Sql, errandId: number, now: number, round?: number): Promise<void> {
  const s = offersWithdrawnStatement(errandId, now, round);
  await tx.run(s.sql, s.params);
  tx.notifyOnCommit(OUTBOX_TOPIC);
}

/** queue.changed for the staff of a community when something other than an errand changed their queue (care visits). */
export async function recordCommunityQueueChanged(tx: Sql, communityId: number, now: number): Promise<void> {
  await tx.run(
    `INSERT INTO outbox_events ${COLUMNS}
     VALUES ('queue.changed', ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, ?)`,
    [communityId, communityId, now],
  );
  tx.notifyOnCommit(OUTBOX_TOPIC);
}

/** Committed events no relay has numbered yet (a metric). */
export async function unrelayedEventCount(sql: Sql): Promise<number> {
  const r = await sql.one('SELECT COUNT(*) AS n FROM outbox_events WHERE seq IS NULL');
  return num(r?.n ?? 0);
}
