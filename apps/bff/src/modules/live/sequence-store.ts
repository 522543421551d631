import type { ErrandStatus, LiveEventType } from '@linli/contracts';
import { BatchGuardError, num, numOrNull, type Row, type Sql } from '../../infra/db/database';
import { audienceCondition, type AudienceKey, type SequencedEvent } from './domain';

// Numbering outbox events into the one dense sequence (event_sequence) and reading them back in
// it: the relay numbers, gateways and followers read. outbox.ts holds the writers.

const SEQUENCED_COLUMNS =
  'seq, type, community_id, errand_id, errand_public_id, status, household_id, user_id, helper_id, staff_community_id, created_at';

function toSequencedEvent(r: Row): SequencedEvent {
  return {
    seq: num(r.seq),
    type: r.type as LiveEventType,
    communityId: num(r.community_id),
    errandId: numOrNull(r.errand_id),
    errandPublicId: (r.errand_public_id as string | null) ?? null,
    status: (r.status as ErrandStatus | null) ?? null,
    householdId: numOrNull(r.household_id),
    userId: numOrNull(r.user_id),
    helperId: numOrNull(r.helper_id),
    staffCommunityId: numOrNull(r.staff_community_id),
    createdAt: num(r.created_at),
  };
}

/** Locks the one sequence row and reads the last number handed out (no row before the first use). */
const lockSequence = (tx: Sql) => ({ sql: `SELECT last_seq FROM event_sequence WHERE id = 1${tx.sqlDialect.forUpdate}`, params: [] });

/** Creates the sequence row on first use, then locks it; returns the last number handed out (0, unless another instance was first). */
async function createSequence(tx: Sql): Promise<number> {
  try {
    await tx.run('INSERT INTO event_sequence (id, last_seq, pruned_through) VALUES (1, 0, 0)');
  } catch {
    // Another instance created it at the same moment; the locking read below waits for it.
  }
  const { sql, params } = lockSequence(tx);
  const row = await tx.one(sql, params);
  return num(row!.last_seq);
}

/** The oldest events not numbered yet (a plain index on seq serves it in id order, without a sort). */
export const UNNUMBERED_EVENTS = `SELECT id, type, community_id, errand_id, errand_public_id, status, household_id, user_id, helper_id, staff_community_id, created_at
  FROM outbox_events WHERE seq IS NULL ORDER BY id LIMIT ?`;

/**
 * The whole of a relay's sequencing transaction (it commits; batched on MySQL, two round trips):
 * locks the sequence row and reads the oldest unnumbered events (at most `limit`) after the lock is
 * held, then numbers them on from `last_seq`, moves `last_seq` and commits. The lock makes the
 * sequence dense and ordered across instances.
 */
export async function numberNextEvents(tx: Sql, limit: number): Promise<SequencedEvent[]> {
  const [locked, unnumbered] = await tx.batch([lockSequence(tx), { sql: UNNUMBERED_EVENTS, params: [limit] }]);
  const lockedRow = locked!.rows[0];
  const lastSeq = lockedRow ? num(lockedRow.last_seq) : await createSequence(tx);
  const rows = lockedRow ? unnumbered!.rows : await tx.all(UNNUMBERED_EVENTS, [limit]);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => num(r.id));
  const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
  const params = ids.flatMap((id, i) => [id, lastSeq + i + 1]);
  try {
    await tx.batch(
      [
        {
          sql: `UPDATE outbox_events SET seq = CASE id ${cases} END WHERE id IN (${ids.map(() => '?').join(', ')}) AND seq IS NULL`,
          params: [...params, ...ids],
          // Under the sequence lock nobody else can have numbered them; if someone did, nothing commits.
          requireRows: rows.length,
        },
        { sql: 'UPDATE event_sequence SET last_seq = ? WHERE id = 1', params: [lastSeq + rows.length] },
      ],
      { commit: true },
    );
  } catch (err) {
    if (err instanceof BatchGuardError) throw new Error('outbox events numbered twice; sequencing rolled back');
    throw err;
  }
  return rows.map((r, i) => toSequencedEvent({ ...r, seq: lastSeq + i + 1 }));
}

/** Deletes the numbered events created before `cutoff` and notes how far the sequence was pruned. Returns how many went. */
export async function pruneEventsBefore(sql: Sql, cutoff: number): Promise<number> {
  const r = await sql.one('SELECT MAX(seq) AS s FROM outbox_events WHERE created_at < ? AND seq IS NOT NULL', [cutoff]);
  const through = numOrNull(r?.s);
  if (through === null) return 0;
  const res = await sql.run('DELETE FROM outbox_events WHERE seq <= ?', [through]);
  await sql.run('UPDATE event_sequence SET pruned_through = ? WHERE id = 1 AND pruned_through < ?', [through, through]);
  return res.affectedRows;
}

/** Where the sequence stands: the last number handed out and the last one pruned. */
export async function sequencePosition(sql: Sql): Promise<{ lastSeq: number; prunedThrough: number }> {
  const r = await sql.one('SELECT last_seq, pruned_through FROM event_sequence WHERE id = 1');
  return r ? { lastSeq: num(r.last_seq), prunedThrough: num(r.pruned_through) } : { lastSeq: 0, prunedThrough: 0 };
}

/** Numbered events after `afterSeq`, in order, at most `limit`: how followers of the sequence read it. */
export async function sequencedEventsAfter(sql: Sql, afterSeq: number, limit: number): Promise<SequencedEvent[]> {
  const rows = await sql.all(`SELECT ${SEQUENCED_COLUMNS} FROM outbox_events WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit]);
  return rows.map(toSequencedEvent);
}

/** The events one viewer (its audience keys) may see after `from` up to `upTo`, in order, at most `limit`. */
export async function audienceEventsBetween(
  sql: Sql,
  keys: AudienceKey[],
  from: number,
  upTo: number,
  limit: number,
): Promise<SequencedEvent[]> {
  const audience = audienceCondition(keys);
  const rows = await sql.all(
    `SELECT ${SEQUENCED_COLUMNS} FROM outbox_events WHERE seq > ? AND seq <= ? AND ${audience.sql} ORDER BY seq LIMIT ?`,
    [from, upTo, ...audience.params, limit],
  );
  return rows.map(toSequencedEvent);
}
