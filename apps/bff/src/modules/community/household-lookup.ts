import { num, type Sql } from '../../infra/db/database';

// Finding a community's households by what staff type (name prefix, phone's last digits, door):
// the staff history's search asks these first, then reads the households' errands.

/** A door in the spellings the registry may hold: building names, units, rooms. */
export interface DoorSpellings {
  buildingNames: readonly string[];
  units: readonly string[];
  rooms: readonly string[];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Households of the community whose contact name starts with `prefix`. */
export async function householdsByName(sql: Sql, communityId: number, prefix: string, limit: number): Promise<number[]> {
  const rows = await sql.all<{ id: unknown }>(
    // MySQL escapes with a backslash by default (and reads '\' in a literal as an escape); SQLite must be told.
    `SELECT id FROM households WHERE community_id = ? AND contact_name LIKE ?${sql.sqlDialect.likeEscape}
      ORDER BY contact_name, id LIMIT ?`,
    [communityId, `${escapeLike(prefix)}%`, limit],
  );
  return rows.map((r) => num(r.id));
}

/**
 * Households of the community whose phone ends in `last4`. A suffix cannot use an index; it scans
 * the community's households (its index range), which stays small next to its errands.
 */
export async function householdsByPhoneEnd(sql: Sql, communityId: number, last4: string, limit: number): Promise<number[]> {
  const rows = await sql.all<{ id: unknown }>(`SELECT id FROM households WHERE community_id = ? AND phone LIKE ? LIMIT ?`, [
    communityId,
    `%${last4}`,
    limit,
  ]);
  return rows.map((r) => num(r.id));
}

/** Households at a door: the building named in any of its usual ways, the unit and room likewise. */
export async function householdsAtDoor(sql: Sql, communityId: number, door: DoorSpellings, limit: number): Promise<number[]> {
  const marks = (a: readonly string[]) => a.map(() => '?').join(', ');
  const rows = await sql.all<{ id: unknown }>(
    `SELECT hh.id FROM households hh JOIN buildings b ON b.id = hh.building_id
      WHERE hh.community_id = ? AND b.community_id = ? AND b.name IN (${marks(door.buildingNames)})
        AND hh.unit IN (${marks(door.units)}) AND hh.room IN (${marks(door.rooms)}) LIMIT ?`,
    [communityId, communityId, ...door.buildingNames, ...door.units, ...door.rooms, limit],
  );
  return rows.map((r) => num(r.id));
}
