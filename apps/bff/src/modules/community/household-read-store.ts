import { num, numOrNull, type Row, type Sql } from '../../infra/db/database';

// Households as other modules and lists read them: by id, by their resident, by what staff type.

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const unique = (ids: readonly number[]) => [...new Set(ids)];
const idsOf = (rows: readonly Row[]) => rows.map((r) => num(r.id));

/** The community of a household, or null when there is no such household. */
export async function communityOfHousehold(sql: Sql, householdId: number): Promise<number | null> {
  const r = await sql.one('SELECT community_id FROM households WHERE id = ?', [householdId]);
  return r ? num(r.community_id) : null;
}

/** The id of the user's own household, or null when they have none. */
export async function householdIdOfUser(sql: Sql, userId: number): Promise<number | null> {
  const r = await sql.one<{ id: unknown }>('SELECT id FROM households WHERE user_id = ?', [userId]);
  return r ? num(r.id) : null;
}

/** The resident user of each household; null for one typed in for a neighbour without an account. */
export async function householdResidents(sql: Sql, householdIds: number[]): Promise<Map<number, number | null>> {
  if (householdIds.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, user_id FROM households WHERE id IN (${placeholders(householdIds.length)})`, householdIds);
  return new Map(rows.map((r) => [num(r.id), numOrNull(r.user_id)]));
}

/** What lists show of a household: its contact and door. */
export interface HouseholdLabel {
  id: number;
  contactName: string;
  phone: string;
  unit: string;
  room: string;
  buildingName: string;
}

const toHouseholdLabel = (r: Record<string, unknown>): HouseholdLabel => ({
  id: num(r.id),
  contactName: String(r.contact_name),
  phone: String(r.phone),
  unit: String(r.unit),
  room: String(r.room),
  buildingName: String(r.building_name),
});

/** Labels of these households, one indexed read for a whole page. */
export async function householdLabels(sql: Sql, householdIds: readonly number[]): Promise<Map<number, HouseholdLabel>> {
  const ids = unique(householdIds);
  if (ids.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT h.id, h.contact_name, h.phone, h.unit, h.room, b.name AS building_name
       FROM households h JOIN buildings b ON b.id = h.building_id
      WHERE h.id IN (${placeholders(ids.length)})`,
    ids,
  );
  return new Map(rows.map((r) => [num(r.id), toHouseholdLabel(r)]));
}

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
  const rows = await sql.all(
    // MySQL escapes with a backslash by default (and reads '\' in a literal as an escape); SQLite must be told.
    `SELECT id FROM households WHERE community_id = ? AND contact_name LIKE ?${sql.sqlDialect.likeEscape}
      ORDER BY contact_name, id LIMIT ?`,
    [communityId, `${escapeLike(prefix)}%`, limit],
  );
  return idsOf(rows);
}

/**
 * Households of the community whose phone ends in `last4`. A suffix cannot use an index; it scans
 * the community's households (its index range), which stays small next to its errands.
 */
export async function householdsByPhoneEnd(sql: Sql, communityId: number, last4: string, limit: number): Promise<number[]> {
  const rows = await sql.all(`SELECT id FROM households WHERE community_id = ? AND phone LIKE ? LIMIT ?`, [
    communityId,
    `%${last4}`,
    limit,
  ]);
  return idsOf(rows);
}

/** Households at a door: the building named in any of its usual ways, the unit and room likewise. */
export async function householdsAtDoor(sql: Sql, communityId: number, door: DoorSpellings, limit: number): Promise<number[]> {
  const marks = (a: readonly string[]) => a.map(() => '?').join(', ');
  const rows = await sql.all(
    `SELECT hh.id FROM households hh JOIN buildings b ON b.id = hh.building_id
      WHERE hh.community_id = ? AND b.community_id = ? AND b.name IN (${marks(door.buildingNames)})
        AND hh.unit IN (${marks(door.units)}) AND hh.room IN (${marks(door.rooms)}) LIMIT ?`,
    [communityId, communityId, ...door.buildingNames, ...door.units, ...door.rooms, limit],
  );
  return idsOf(rows);
}
