import { num, type Sql } from '../../infra/db/database';
import type { SubscribeMessage } from '../../infra/wechat/subscribe';
import type { NotificationKind, NotificationStatus } from './domain';

// The SQL of notifications (planned subscribe messages) and notification_cursor (the planner's
// position in the numbered live events).

/**
 * Takes the planner's position under a row lock and returns it: every event up to it has been
 * planned. The lock makes a second instance's planner wait and then start where this one ended.
 */
export async function lockPlanningCursor(tx: Sql): Promise<number> {
  const read = () => tx.one(`SELECT planned_through FROM notification_cursor WHERE id = 1${tx.sqlDialect.forUpdate}`);
  const row = await read();
  if (row) return num(row.planned_through);
  // The migration creates the row; a database someone emptied by hand starts from the beginning.
  await tx.run(`${tx.sqlDialect.insertIgnore} INTO notification_cursor (id, planned_through) VALUES (1, 0)`);
  return num((await read())!.planned_through);
}

export async function advancePlanningCursor(tx: Sql, through: number): Promise<void> {
  await tx.run('UPDATE notification_cursor SET planned_through = ? WHERE id = 1', [through]);
}

/** The planner's position, for /metrics and tests. */
export async function planningPosition(sql: Sql): Promise<number> {
  const r = await sql.one('SELECT planned_through FROM notification_cursor WHERE id = 1');
  return r ? num(r.planned_through) : 0;
}

/** A message the planner decided on, pending its first attempt. */
export interface PlannedNotification {
  eventSeq: number;
  kind: NotificationKind;
  communityId: number;
  userId: number;
  openid: string;
  errandId: number;
  templateId: string;
  page: string;
  /** The template's data, as JSON. */
  dataJson: string;
}

/** Well under MySQL's and SQLite's limits on placeholders in one statement (13 per row). */
const INSERT_CHUNK = 1000;

export async function insertPlannedNotifications(tx: Sql, planned: readonly PlannedNotification[], now: number): Promise<void> {
  for (let i = 0; i < planned.length; i += INSERT_CHUNK) {
    const chunk = planned.slice(i, i + INSERT_CHUNK);
    await tx.run(
      `INSERT INTO notifications (event_seq, kind, community_id, user_id, openid, errand_id, template_id, page, data_json, status, attempts, next_attempt_at, created_at)
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((n) => [
        n.eventSeq,
        n.kind,
        n.communityId,
        n.userId,
        n.openid,
        n.errandId,
        n.templateId,
        n.page,
        n.dataJson,
        'pending',
        0,
        now,
        now,
      ]),
    );
  }
}

/** Pending messages whose next attempt is due, oldest planned first (after an outage one person's messages still arrive in order). */
export async function dueNotificationIds(sql: Sql, now: number, limit: number): Promise<number[]> {
  const rows = await sql.all("SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?", [
    now,
    limit,
  ]);
  return rows.map((r) => num(r.id));
}

/** A message a sender holds the lease of, with what the send needs. */
export interface ClaimedNotification {
  id: number;
  kind: NotificationKind;
  userId: number;
  errandId: number;
  /** Counting this one. */
  attempts: number;
  openid: string;
  templateId: string;
  page: string;
  data: SubscribeMessage['data'];
}

/**
 * Takes the message for one attempt: a conditional UPDATE pushes `next_attempt_at` a lease ahead,
 * so only one sender's UPDATE matches; the others skip the row until the lease ends. Null when
 * another sender has it.
 */
export async function claimNotification(sql: Sql, id: number, now: number, leaseMs: number): Promise<ClaimedNotification | null> {
  const won = await sql.run(
    "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?",
    [now + leaseMs, id, now],
  );
  if (won.affectedRows !== 1) return null;
  const r = await sql.one(
    'SELECT kind, user_id, errand_id, openid, template_id, page, data_json, attempts FROM notifications WHERE id = ?',
    [id],
  );
  if (!r) return null;
  return {
    id,
    kind: r.kind as NotificationKind,
    userId: num(r.user_id),
    errandId: num(r.errand_id),
    attempts: num(r.attempts),
    openid: String(r.openid),
    templateId: String(r.template_id),
    page: String(r.page),
    data: JSON.parse(String(r.data_json)) as SubscribeMessage['data'],
  };
}

/** What became of an attempt; `nextAttemptAt` only when the message stays pending. */
export interface NotificationOutcome {
  status: NotificationStatus;
  lastError: string | null;
  nextAttemptAt?: number;
}

/** Writes the outcome only while the row is still ours: same attempt, still pending. */
export async function recordNotificationOutcome(
  sql: Sql,
  n: { id: number; attempts: number },
  next: NotificationOutcome,
  at: number,
): Promise<void> {
  await sql.run(
    `UPDATE notifications SET status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), sent_at = ?
      WHERE id = ? AND status = 'pending' AND attempts = ?`,
    [next.status, next.lastError?.slice(0, 200) ?? null, next.nextAttemptAt ?? null, next.status === 'sent' ? at : null, n.id, n.attempts],
  );
}

/** Subscribe messages waiting to be sent or retried (a metric). */
export async function pendingNotificationCount(sql: Sql): Promise<number> {
  const r = await sql.one("SELECT COUNT(*) AS n FROM notifications WHERE status = 'pending'");
  return num(r?.n ?? 0);
}

/** Retention: finished messages (they hold openids) created before `cutoff` go. Returns how many. */
export async function purgeFinishedNotifications(sql: Sql, cutoff: number): Promise<number> {
  return (await sql.run("DELETE FROM notifications WHERE status <> 'pending' AND created_at < ?", [cutoff])).affectedRows;
}
