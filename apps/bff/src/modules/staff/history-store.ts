import { ERRAND_STATUSES, type ErrandCategory, type ErrandStatus, type SlaTier } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';

// SQL of the staff history: every errand of a community, open and closed, newest first. One
// status at a time is a range of errands_history_index (community_id, status, created_at, id) read
// backwards in index order; a set of statuses reads the first rows after the cursor of each status
// in one statement and merges them (as the queue does). A search first finds the households (by
// name prefix on households_community_contact_index, by phone or door within the community, a few
// hundred at most), then their errands.

/** Newest first: created_at descending, then id descending. */
export type HistoryKey = readonly [createdAt: number, id: number];

export interface HistoryFilter {
  communityId: number;
  statuses: readonly ErrandStatus[];
  tier: SlaTier | null;
  compoundId: number | null;
  buildingId: number | null;
  category: ErrandCategory | null;
  helperId: number | null;
  createdFrom: number | null;
  /** Exclusive. */
  createdTo: number | null;
  /** Only these households' errands (from a search); empty: nothing matches. */
  householdIds: number[] | null;
  publicId: string | null;
}

/** Households searched for at most; a search matching more is too vague to list them all. */
export const HOUSEHOLD_MATCH_LIMIT = 500;

function conditions(f: HistoryFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    parts.push(clause);
    params.push(...values);
  };
  if (f.tier !== null) add('sla_tier = ?', f.tier);
  if (f.compoundId !== null) add('compound_id = ?', f.compoundId);
  if (f.buildingId !== null) add('building_id = ?', f.buildingId);
  if (f.category !== null) add('category = ?', f.category);
  if (f.helperId !== null) add('helper_id = ?', f.helperId);
  if (f.createdFrom !== null) add('created_at >= ?', f.createdFrom);
  if (f.createdTo !== null) add('created_at < ?', f.createdTo);
  if (f.householdIds !== null) add(`household_id IN (${f.householdIds.map(() => '?').join(', ')})`, ...f.householdIds);
  if (f.publicId !== null) add('public_id = ?', f.publicId);
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

/**
 * Errands of the households a search found, read through errands_household_history_index
 * (household_id, status, created_at, id), forced on MySQL: a status range of the community's
 * history index would be read far, filtering. It covers the page without other filters (no row
 * lookups). The households were found within the community, so their errands are its own.
 *
 * A helper, building, compound or category filter reads its own index (community_id, <filter>,
 * status, created_at, id, sla_tier[, category]): the page is one backward range per status, and
 * the bounded count reads only matching entries, covered with tier and category. Without them both
 * read the whole status range filtering row by row (4.5 s over 1,100,000 errands). The narrowest
 * filter present is forced on MySQL, which otherwise may prefer errands_history_index for its order.
 */
function historyTable(sql: Sql, f: HistoryFilter): string {
  const index =
    f.householdIds !== null
      ? 'errands_household_history_index'
      : f.helperId !== null
        ? 'errands_history_helper_index'
        : f.buildingId !== null
          ? 'errands_history_building_index'
          : f.compoundId !== null
            ? 'errands_history_compound_index'
            : f.category !== null
              ? 'errands_history_category_index'
              : null;
  return index === null ? 'errands' : `errands${sql.sqlDialect.forceIndex(index)}`;
}

/** The `limit` errands after `after` (newest first) matching `f`. */
export async function historyPage(
  sql: Sql,
  f: HistoryFilter,
  after: HistoryKey | null,
  limit: number,
): Promise<{ id: number; key: HistoryKey }[]> {
  if (f.householdIds !== null && f.householdIds.length === 0) return [];
  const where = conditions(f);
  const keyset = after ? ' AND (created_at < ? OR (created_at = ? AND id < ?))' : '';
  const afterParams = after ? [after[0], after[0], after[1]] : [];
  if (f.householdIds !== null) {
    const rows = await sql.all<{ id: unknown; created_at: unknown }>(
      `SELECT id, created_at FROM ${historyTable(sql, f)}
        WHERE status IN (${f.statuses.map(() => '?').join(', ')})${where.sql}${keyset}
        ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...f.statuses, ...where.params, ...afterParams, limit],
    );
    return rows.map((r) => ({ id: num(r.id), key: [num(r.created_at), num(r.id)] as const }));
  }
  const arms: string[] = [];
  const params: unknown[] = [];
  f.statuses.forEach((status, i) => {
    params.push(f.communityId, status, ...where.params, ...afterParams, limit);
    arms.push(
      `SELECT * FROM (SELECT id, created_at FROM ${historyTable(sql, f)} WHERE community_id = ? AND status = ?${where.sql}${keyset}
        ORDER BY created_at DESC, id DESC LIMIT ?) h${i}`,
    );
  });
  const rows = await sql.all<{ id: unknown; created_at: unknown }>(arms.join(' UNION ALL '), params);
  return rows
    .map((r) => ({ id: num(r.id), key: [num(r.created_at), num(r.id)] as const }))
    .sort((a, b) => b.key[0] - a.key[0] || b.key[1] - a.key[1])
    .slice(0, limit);
}

/**
 * Matching errands per status and tier, counted over at most `bound` rows (whether it was
 * reached says if the counts are exact). For filters the kept counts cannot answer.
 */
export async function boundedCounts(
  sql: Sql,
  f: HistoryFilter,
  bound: number,
): Promise<{ rows: { status: ErrandStatus; tier: SlaTier; n: number }[]; reached: boolean }> {
  if (f.householdIds !== null && f.householdIds.length === 0) return { rows: [], reached: false };
  const where = conditions(f);
  const statuses = f.statuses.length === ERRAND_STATUSES.length ? '' : ` AND status IN (${f.statuses.map(() => '?').join(', ')})`;
  const statusParams = statuses ? f.statuses : [];
  const rows = await sql.all<{ status: ErrandStatus; sla_tier: SlaTier; n: unknown }>(
    `SELECT status, sla_tier, COUNT(*) AS n FROM (
       SELECT status, sla_tier FROM ${historyTable(sql, f)} WHERE community_id = ?${statuses}${where.sql} LIMIT ?) m
     GROUP BY status, sla_tier`,
    [f.communityId, ...statusParams, ...where.params, bound + 1],
  );
  const counted = rows.map((r) => ({ status: r.status, tier: r.sla_tier, n: num(r.n) }));
  const total = counted.reduce((n, r) => n + r.n, 0);
  return { rows: counted, reached: total > bound };
}
