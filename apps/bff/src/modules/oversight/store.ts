import { num, type Sql } from '../../infra/db/database';

// The SQL of districts and streets (this module owns both tables, see infra/db/table-ownership.ts).

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

async function namesById(sql: Sql, table: 'districts' | 'streets', ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, name FROM ${table} WHERE id IN (${placeholders(unique.length)})`, unique);
  return new Map(rows.map((r) => [num(r.id), String(r.name)]));
}

/** Names of these streets (unknown ids are absent). */
export function streetNames(sql: Sql, streetIds: readonly number[]): Promise<Map<number, string>> {
  return namesById(sql, 'streets', streetIds);
}

/** Names of these districts (unknown ids are absent). */
export function districtNames(sql: Sql, districtIds: readonly number[]): Promise<Map<number, string>> {
  return namesById(sql, 'districts', districtIds);
}
