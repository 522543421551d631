import type { ErrandCategory, ErrandItem } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';

// What retention (modules/privacy) minimises and purges of the errands module's rows; the policy
// of what is kept is privacy's.

/** A page of closed errands past `cutoff` whose free text has not been minimised yet. */
export async function closedErrandsToMinimise(
  sql: Sql,
  cutoff: number,
  limit: number,
): Promise<{ id: number; category: ErrandCategory; items: ErrandItem[] }[]> {
  const rows = await sql.all(
    `SELECT id, category, items_json FROM errands
      WHERE status IN ('completed', 'cancelled') AND minimised_at IS NULL AND COALESCE(completed_at, cancelled_at, updated_at) < ?
      ORDER BY id LIMIT ?`,
    [cutoff, limit],
  );
  return rows.map((r) => ({
    id: num(r.id),
    category: r.category as ErrandCategory,
    items: JSON.parse(String(r.items_json)) as ErrandItem[],
  }));
}

/**
 * An errand keeps only the minimised items and loses what people typed (notes, rating comment,
 * the non-system notes of its timeline). Idempotent.
 */
export async function minimiseErrands(
  tx: Sql,
  errands: readonly { id: number; items: readonly ErrandItem[] }[],
  at: number,
): Promise<void> {
  if (errands.length === 0) return;
  for (const e of errands) {
    await tx.run(
      'UPDATE errands SET items_json = ?, notes = NULL, rating_comment = NULL, minimised_at = ? WHERE id = ? AND minimised_at IS NULL',
      [JSON.stringify(e.items), at, e.id],
    );
  }
  const ids = errands.map((e) => e.id);
  // System notes are fixed phrases; what people wrote (reasons, delivery notes) goes.
  await tx.run(
    `UPDATE errand_events SET note = NULL WHERE errand_id IN (${ids.map(() => '?').join(', ')}) AND actor_role <> 'system'`,
    ids,
  );
}

/** Idempotency records (each holds a full errand view) go once expired. Returns how many. */
export async function purgeExpiredIdempotencyKeys(sql: Sql, now: number): Promise<number> {
  return (await sql.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', [now])).affectedRows;
}
