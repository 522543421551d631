import type { AuditActorRole, AuditAction, AuditEntry, AuditTargetType } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import { userContacts } from '../auth/store';

export type AuditSnapshot = Record<string, unknown>;

export interface AuditRecord {
  communityId: number;
  actorUserId: number;
  actorRole: AuditActorRole;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string | number;
  reason?: string | null;
  before?: AuditSnapshot | null;
  after?: AuditSnapshot | null;
  /** Epoch ms; pass the service's clock (defaults to the wall clock). */
  at?: number;
}

const REASON_MAX = 200;

/**
 * Writes one audit entry. Call it with the transaction that makes the change, so the entry exists
 * exactly when the change does.
 */
export async function recordAudit(tx: Sql, entry: AuditRecord): Promise<void> {
  const reason = entry.reason ? [...entry.reason].slice(0, REASON_MAX).join('') : null;
  await tx.run(
    `INSERT INTO audit_log (community_id, actor_user_id, actor_role, action, target_type, target_id, reason, before_json, after_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      entry.communityId,
      entry.actorUserId,
      entry.actorRole,
      entry.action,
      entry.targetType,
      String(entry.targetId),
      reason,
      entry.before ? JSON.stringify(entry.before) : null,
      entry.after ? JSON.stringify(entry.after) : null,
      entry.at ?? Date.now(),
    ],
  );
}

export interface AuditFilter {
  communityIds: readonly number[];
  action?: AuditAction;
  fromMs?: number;
  toMs?: number;
  /** Entries strictly older than this position (newest first). */
  before?: { createdAt: number; id: number };
  limit: number;
}

export interface AuditRow extends AuditEntry {
  createdAtMs: number;
}

/** An entry row; the actor's name comes from the auth module (users), looked up per page. */
function toEntry(r: Record<string, unknown>, actorName: string | null): AuditRow {
  const parse = (v: unknown) => (v === null || v === undefined ? null : (JSON.parse(String(v)) as Record<string, unknown>));
  const createdAtMs = num(r.created_at);
  return {
    id: String(r.id),
    communityId: num(r.community_id),
    actor: {
      userId: num(r.actor_user_id),
      role: r.actor_role as AuditActorRole,
      name: actorName,
    },
    action: r.action as AuditAction,
    targetType: r.target_type as AuditTargetType,
    targetId: String(r.target_id),
    reason: (r.reason as string | null) ?? null,
    before: parse(r.before_json),
    after: parse(r.after_json),
    createdAt: new Date(createdAtMs).toISOString(),
    createdAtMs,
  };
}

/** One community's entries, newest first, walking its (community_id, created_at, id) index backwards. */
async function pageOfCommunity(sql: Sql, communityId: number, f: AuditFilter): Promise<AuditRow[]> {
  const where = ['a.community_id = ?'];
  const params: unknown[] = [communityId];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (f.action) add('a.action = ?', f.action);
  if (f.fromMs !== undefined) add('a.created_at >= ?', f.fromMs);
  if (f.toMs !== undefined) add('a.created_at < ?', f.toMs);
  if (f.before) add('(a.created_at < ? OR (a.created_at = ? AND a.id < ?))', f.before.createdAt, f.before.createdAt, f.before.id);
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT a.*
       FROM audit_log a
      WHERE ${where.join(' AND ')}
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT ${Math.trunc(f.limit)}`,
    params,
  );
  return rows.map((r) => toEntry(r, null));
}

/**
 * Entries of the given communities, newest first, at most `limit`. Each community is read on its
 * own index range and the pages merged, so a district's log costs `limit` rows per community
 * however long it grows.
 */
export async function listAudit(sql: Sql, f: AuditFilter): Promise<AuditRow[]> {
  const pages = await Promise.all(f.communityIds.map((id) => pageOfCommunity(sql, id, f)));
  const page = pages
    .flat()
    .sort((a, b) => b.createdAtMs - a.createdAtMs || Number(b.id) - Number(a.id))
    .slice(0, f.limit);
  const actors = await userContacts(
    sql,
    page.map((e) => e.actor.userId),
  );
  return page.map((e) => ({ ...e, actor: { ...e.actor, name: actors.get(e.actor.userId)?.name ?? null } }));
}
