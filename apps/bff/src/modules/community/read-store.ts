import { num, numOrNull, type Sql } from '../../infra/db/database';

// Reads of community tables that other modules need (the owner's read functions).

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Display names of compounds and buildings, by id (for texts such as subscribe messages). */
export async function placeNames(
  sql: Sql,
  compoundIds: number[],
  buildingIds: number[],
): Promise<{ compounds: Map<number, string>; buildings: Map<number, string> }> {
  const [compounds, buildings] = await Promise.all([
    compoundIds.length === 0
      ? []
      : sql.all(`SELECT id, name FROM compounds WHERE id IN (${placeholders(compoundIds.length)})`, compoundIds),
    buildingIds.length === 0
      ? []
      : sql.all(`SELECT id, name FROM buildings WHERE id IN (${placeholders(buildingIds.length)})`, buildingIds),
  ]);
  return {
    compounds: new Map(compounds.map((r) => [num(r.id), String(r.name)])),
    buildings: new Map(buildings.map((r) => [num(r.id), String(r.name)])),
  };
}

/** The resident user of each household; null for one typed in for a neighbour without an account. */
export async function householdResidents(sql: Sql, householdIds: number[]): Promise<Map<number, number | null>> {
  if (householdIds.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, user_id FROM households WHERE id IN (${placeholders(householdIds.length)})`, householdIds);
  return new Map(rows.map((r) => [num(r.id), numOrNull(r.user_id)]));
}
