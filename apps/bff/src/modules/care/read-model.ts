import { num, type Sql } from '../../infra/db/database';
import { helperNames } from '../helpers/store';

// What other modules may know of the 包保 care ledger without reading its tables: the household
// registry shows each household's helper and cadence, and filters on being under care.

/** A household's care as the registry shows it. */
export interface HouseholdCare {
  helperId: number;
  helperName: string;
  cadenceDays: number;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The care of these households (one read per page); households under nobody's care are absent. */
export async function careOfHouseholds(sql: Sql, householdIds: readonly number[]): Promise<Map<number, HouseholdCare>> {
  const ids = [...new Set(householdIds)];
  if (ids.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT household_id, helper_id, cadence_days FROM care_assignments WHERE household_id IN (${placeholders(ids.length)})`,
    ids,
  );
  const names = await helperNames(
    sql,
    rows.map((r) => num(r.helper_id)),
  );
  return new Map(
    rows.map((r) => [
      num(r.household_id),
      { helperId: num(r.helper_id), helperName: names.get(num(r.helper_id)) ?? '', cadenceDays: num(r.cadence_days) },
    ]),
  );
}

/**
 * The households under care in these communities, ascending. One per vulnerable household a
 * helper visits: a community's list stays small next to its registry, so callers may filter by it.
 */
export async function householdIdsUnderCare(sql: Sql, communityIds: readonly number[]): Promise<number[]> {
  if (communityIds.length === 0) return [];
  const rows = await sql.all(
    `SELECT household_id FROM care_assignments WHERE community_id IN (${placeholders(communityIds.length)}) ORDER BY household_id`,
    [...communityIds],
  );
  return rows.map((r) => num(r.household_id));
}
