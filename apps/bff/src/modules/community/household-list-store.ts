import { num, type Sql } from '../../infra/db/database';
import { toHouseholdInput } from './household-store';
import type { HouseholdQuery } from './household-search';

// The SQL of the household registry list: one page in door order after a keyset position, and the
// exact count of the same filter.

/**
 * Where a household stands in door order, compared element by element: compound (by name, its id
 * keeping one compound's rows together), building likewise, unit, room, then the id so that no two
 * rows tie. Every part is read from the row, so a cursor keeps its place while rows come and go.
 */
export type HouseholdKey = readonly [
  compoundName: string,
  compoundId: number,
  buildingName: string,
  buildingId: number,
  unit: string,
  room: string,
  id: number,
];

const KEY_COLUMNS = ['cp.name', 'cp.id', 'b.name', 'b.id', 'h.unit', 'h.room', 'h.id'] as const;

/** What a registry page is filtered by; null means no filter. */
export interface HouseholdListFilter {
  communityIds: readonly number[];
  compoundId: number | null;
  buildingId: number | null;
  vulnerable: boolean;
  /** Only these households (the ones under care); an empty list matches none. */
  householdIds: readonly number[] | null;
  /** The one-box search's conditions on `h` and `b` (household-search.ts). */
  search: { where: string[]; params: unknown[] } | null;
}

export interface HouseholdListRow {
  key: HouseholdKey;
  id: number;
  communityId: number;
  communityName: string;
  compoundId: number;
  compoundName: string;
  buildingId: number;
  buildingName: string;
  unit: string;
  floor: number;
  room: string;
  contactName: string;
  phone: string;
  registered: boolean;
  elderlyAlone: boolean;
  disabled: boolean;
  postTreatment: boolean;
  chronicMedication: boolean;
  infants: boolean;
  pregnancy: boolean;
}

const FROM = `FROM households h
    JOIN buildings b ON b.id = h.building_id
    JOIN compounds cp ON cp.id = b.compound_id
    JOIN communities c ON c.id = h.community_id`;

const VULNERABLE = `(h.elderly_alone = 1 OR h.disabled = 1 OR h.post_treatment = 1 OR h.chronic_medication = 1
      OR h.infants = 1 OR h.pregnancy = 1)`;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function whereOf(f: HouseholdListFilter): { sql: string; params: unknown[] } | null {
  if (f.communityIds.length === 0 || f.householdIds?.length === 0) return null;
  const where = [`h.community_id IN (${marks(f.communityIds.length)})`];
  const params: unknown[] = [...f.communityIds];
  if (f.compoundId !== null) {
    where.push('b.compound_id = ?');
    params.push(f.compoundId);
  }
  if (f.buildingId !== null) {
    where.push('h.building_id = ?');
    params.push(f.buildingId);
  }
  if (f.vulnerable) where.push(VULNERABLE);
  if (f.householdIds) {
    where.push(`h.id IN (${marks(f.householdIds.length)})`);
    params.push(...f.householdIds);
  }
  if (f.search) {
    where.push(...f.search.where);
    params.push(...f.search.params);
  }
  return { sql: where.join(' AND '), params };
}

/**
 * Rows strictly after `key` in door order: (k1 > ?) OR (k1 = ? AND ((k2 > ?) OR (k2 = ? AND …))).
 * Spelled out rather than as a row value comparison, which MySQL and SQLite plan differently; the
 * comparisons use each column's collation, as ORDER BY does, so the two agree on both databases.
 */
function after(key: HouseholdKey): { sql: string; params: unknown[] } {
  let sql = `${KEY_COLUMNS[KEY_COLUMNS.length - 1]} > ?`;
  const params: unknown[] = [key[KEY_COLUMNS.length - 1]];
  for (let i = KEY_COLUMNS.length - 2; i >= 0; i--) {
    sql = `(${KEY_COLUMNS[i]} > ? OR (${KEY_COLUMNS[i]} = ? AND ${sql}))`;
    params.unshift(key[i], key[i]);
  }
  return { sql, params };
}

function toRow(r: Record<string, unknown>): HouseholdListRow {
  const row = {
    id: num(r.id),
    communityId: num(r.community_id),
    communityName: String(r.community_name),
    compoundId: num(r.compound_id),
    compoundName: String(r.compound_name),
    buildingName: String(r.building_name),
    ...toHouseholdInput(r),
    registered: r.user_id !== null && r.user_id !== undefined,
  };
  const key: HouseholdKey = [row.compoundName, row.compoundId, row.buildingName, row.buildingId, row.unit, row.room, row.id];
  return { key, ...row };
}

/** Up to `limit` households matching the filter, in door order, after `from` (the first page when null). */
export async function householdListPage(
  sql: Sql,
  filter: HouseholdListFilter,
  from: HouseholdKey | null,
  limit: number,
): Promise<HouseholdListRow[]> {
  const where = whereOf(filter);
  if (!where) return [];
  const keyset = from ? after(from) : null;
  const rows = await sql.all(
    `SELECT h.id, h.community_id, c.name AS community_name, b.compound_id, cp.name AS compound_name, h.building_id,
            b.name AS building_name, h.unit, h.floor, h.room, h.contact_name, h.phone, h.user_id, h.elderly_alone,
            h.disabled, h.post_treatment, h.chronic_medication, h.infants, h.pregnancy
       ${FROM}
      WHERE ${where.sql}${keyset ? ` AND ${keyset.sql}` : ''}
      ORDER BY ${KEY_COLUMNS.join(', ')}
      LIMIT ${Math.floor(limit)}`,
    [...where.params, ...(keyset?.params ?? [])],
  );
  return rows.map(toRow);
}

/** The exact number of households matching the filter. */
export async function countHouseholds(sql: Sql, filter: HouseholdListFilter): Promise<number> {
  const where = whereOf(filter);
  if (!where) return 0;
  const r = await sql.one(`SELECT COUNT(*) AS n ${FROM} WHERE ${where.sql}`, where.params);
  return num(r?.n ?? 0);
}

/** '!' escapes LIKE wildcards alike on MySQL and SQLite (a backslash means different things there). */
function likeEscape(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}

/**
 * The conditions of a parsed search on households `h` joined with their buildings `b`: the hotline
 * search and the registry list (household-list.ts) find the same households for the same text.
 */
export function householdQuerySql(q: HouseholdQuery): { where: string[]; params: unknown[] } {
  switch (q.kind) {
    case 'door':
      return {
        where: [`b.name IN (${q.buildingNames.map(() => '?').join(', ')})`, 'h.room = ?', ...(q.unit === null ? [] : ['h.unit = ?'])],
        params: [...q.buildingNames, q.room, ...(q.unit === null ? [] : [q.unit])],
      };
    case 'phone':
      return { where: ['h.phone = ?'], params: [q.phone] };
    case 'phoneTail':
      return { where: ['h.phone LIKE ?'], params: [`%${q.digits}`] };
    case 'name':
      return { where: ["h.contact_name LIKE ? ESCAPE '!'"], params: [`%${likeEscape(q.text)}%`] };
  }
}

/** The hotline search's matches in the community: registered households first, then by door. */
export async function householdIdsMatching(sql: Sql, communityId: number, q: HouseholdQuery, limit: number): Promise<number[]> {
  const match = householdQuerySql(q);
  const rows = await sql.all<{ id: unknown }>(
    `SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id
      WHERE ${['h.community_id = ?', ...match.where].join(' AND ')}
      ORDER BY CASE WHEN h.user_id IS NULL THEN 1 ELSE 0 END, b.name, h.unit, h.room, h.id
      LIMIT ${Number(limit)}`,
    [communityId, ...match.params],
  );
  return rows.map((r) => num(r.id));
}
