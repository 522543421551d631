import type { HouseholdInput, HouseholdView, LockdownStatus } from '@linli/contracts';
import { bool, num, type Row, type Sql, type Statement } from '../../infra/db/database';

// The SQL of households (with their building, compound and community where a view needs them):
// each row shape mapped once, here.

/**
 * The household columns a HouseholdInput writes, in one order: registration's upsert and staff
 * edits both build their statements from it, so a new flag is added once.
 */
function householdInputColumns(input: HouseholdInput): [column: string, value: unknown][] {
  return [
    ['unit', input.unit],
    ['floor', input.floor],
    ['room', input.room],
    ['contact_name', input.contactName],
    ['phone', input.phone],
    ['elderly_alone', input.elderlyAlone],
    ['disabled', input.disabled],
    ['post_treatment', input.postTreatment],
    ['chronic_medication', input.chronicMedication],
    ['infants', input.infants],
    ['pregnancy', input.pregnancy],
  ];
}

/** What householdInputColumns wrote, read back from a households row (also the registry list's). */
export function toHouseholdInput(r: Row): HouseholdInput {
  return {
    buildingId: num(r.building_id),
    unit: String(r.unit),
    floor: num(r.floor),
    room: String(r.room),
    contactName: String(r.contact_name),
    phone: String(r.phone),
    elderlyAlone: bool(r.elderly_alone),
    disabled: bool(r.disabled),
    postTreatment: bool(r.post_treatment),
    chronicMedication: bool(r.chronic_medication),
    infants: bool(r.infants),
    pregnancy: bool(r.pregnancy),
  };
}

export type HouseholdWithLocation = HouseholdView & { location: { lat: number; lng: number } };

const HOUSEHOLD_SELECT = `
  SELECT h.id, h.community_id, c.name AS community_name, c.duty_phone, b.compound_id, cp.name AS compound_name,
         cp.lockdown, h.building_id, b.name AS building_name, b.has_lift, h.unit, h.floor, h.room,
         h.contact_name, h.phone, h.elderly_alone, h.disabled, h.post_treatment, h.chronic_medication, h.infants, h.pregnancy, b.lat, b.lng
    FROM households h
    JOIN buildings b ON b.id = h.building_id
    JOIN compounds cp ON cp.id = b.compound_id
    JOIN communities c ON c.id = h.community_id`;

function toHouseholdView(r: Row): HouseholdWithLocation {
  return {
    id: num(r.id),
    communityId: num(r.community_id),
    communityName: String(r.community_name),
    compoundId: num(r.compound_id),
    compoundName: String(r.compound_name),
    compoundLockdown: r.lockdown as LockdownStatus,
    buildingName: String(r.building_name),
    hasLift: bool(r.has_lift),
    ...toHouseholdInput(r),
    location: { lat: Number(r.lat), lng: Number(r.lng) },
  };
}

/** The household a user registered as their own, with its building's position. */
export async function householdOfUser(sql: Sql, userId: number): Promise<HouseholdWithLocation | null> {
  const r = await sql.one(`${HOUSEHOLD_SELECT} WHERE h.user_id = ?`, [userId]);
  return r ? toHouseholdView(r) : null;
}

export async function householdById(sql: Sql, id: number): Promise<HouseholdWithLocation | null> {
  const r = await sql.one(`${HOUSEHOLD_SELECT} WHERE h.id = ?`, [id]);
  return r ? toHouseholdView(r) : null;
}

/** What a new errand copies from its household, its building and its community, read in one statement. */
export type ErrandHousehold = HouseholdWithLocation & { dutyPhone: string | null };

/**
 * Locks the household row until the transaction ends (MySQL), so creates for one household count
 * its open errands one after another. Only this row: a lock taken through the join below would
 * also lock the building and compound rows every household of them shares.
 */
export const lockHouseholdStatement = (householdId: number): Statement => ({
  sql: 'SELECT id FROM households WHERE id = ? FOR UPDATE',
  params: [householdId],
});

/** The create path sends this in its first packet with the errands module's own reads (read with toErrandHousehold). */
export const errandHouseholdStatement = (householdId: number): Statement => ({
  sql: `${HOUSEHOLD_SELECT} WHERE h.id = ?`,
  params: [householdId],
});

export const toErrandHousehold = (r: Row): ErrandHousehold => ({
  ...toHouseholdView(r),
  dutyPhone: (r.duty_phone as string | null) ?? null,
});

/** The community of the household a user registered, or null. */
export async function communityOfUserHousehold(sql: Sql, userId: number): Promise<number | null> {
  const r = await sql.one('SELECT community_id FROM households WHERE user_id = ?', [userId]);
  return r ? num(r.community_id) : null;
}

/** Registers or corrects a user's own household: one upsert on the unique user_id. */
export async function upsertOwnHousehold(
  sql: Sql,
  userId: number,
  input: HouseholdInput,
  building: { id: number; communityId: number },
  at: number,
): Promise<void> {
  const fields = householdInputColumns(input);
  const columns = [...fields.map(([c]) => c), 'building_id', 'community_id'];
  const values = [...fields.map(([, v]) => v), building.id, building.communityId];
  const d = sql.sqlDialect;
  const onConflict = d.upsert(['user_id'], Object.fromEntries([...columns, 'updated_at'].map((c) => [c, d.excluded(c)])));
  await sql.run(
    `INSERT INTO households (${columns.join(', ')}, user_id, created_at, updated_at)
     VALUES (${columns.map(() => '?').join(', ')}, ?, ?, ?)${onConflict}`,
    [...values, userId, at, at],
  );
}

/** The household at a door: a registered one before older typed-in ones (the registered one is the truth). */
export async function householdAtDoor(
  sql: Sql,
  door: { buildingId: number; unit: string; room: string },
): Promise<{ id: number; contactName: string; phone: string } | null> {
  const r = await sql.one(
    `SELECT id, contact_name, phone FROM households WHERE building_id = ? AND unit = ? AND room = ?
      ORDER BY CASE WHEN user_id IS NULL THEN 1 ELSE 0 END, id LIMIT 1`,
    [door.buildingId, door.unit, door.room],
  );
  return r ? { id: num(r.id), contactName: String(r.contact_name), phone: String(r.phone) } : null;
}

/** A household typed in for a neighbour (no account of its own). Returns its id. */
export async function insertNeighbourHousehold(
  sql: Sql,
  input: HouseholdInput,
  building: { id: number; communityId: number },
  at: number,
): Promise<number> {
  const fields = householdInputColumns(input);
  const res = await sql.run(
    `INSERT INTO households (${fields.map(([c]) => c).join(', ')}, building_id, community_id, user_id, created_at, updated_at)
     VALUES (${fields.map(() => '?').join(', ')}, ?, ?, NULL, ?, ?)`,
    [...fields.map(([, v]) => v), building.id, building.communityId, at, at],
  );
  return res.insertId;
}

/** Whether a household exists in this community. */
export async function householdInCommunity(sql: Sql, householdId: number, communityId: number): Promise<boolean> {
  return (await sql.one('SELECT id FROM households WHERE id = ? AND community_id = ?', [householdId, communityId])) !== undefined;
}

/** A household's registered details, locked for the caller's transaction (MySQL). */
export async function lockHouseholdDetails(tx: Sql, householdId: number, communityId: number): Promise<HouseholdInput | null> {
  const r = await tx.one(
    `SELECT building_id, unit, floor, room, contact_name, phone, elderly_alone, disabled, post_treatment,
            chronic_medication, infants, pregnancy
       FROM households WHERE id = ? AND community_id = ?${tx.sqlDialect.forUpdate}`,
    [householdId, communityId],
  );
  return r ? toHouseholdInput(r) : null;
}

export async function updateHouseholdDetails(
  tx: Sql,
  householdId: number,
  input: HouseholdInput,
  buildingId: number,
  at: number,
): Promise<void> {
  const fields = householdInputColumns(input);
  await tx.run(`UPDATE households SET building_id = ?, ${fields.map(([c]) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`, [
    buildingId,
    ...fields.map(([, v]) => v),
    at,
    householdId,
  ]);
}

export async function householdContact(sql: Sql, householdId: number): Promise<{ contactName: string; phone: string } | null> {
  const r = await sql.one('SELECT contact_name, phone FROM households WHERE id = ?', [householdId]);
  return r ? { contactName: String(r.contact_name), phone: String(r.phone) } : null;
}

export async function setHouseholdContact(
  tx: Sql,
  householdId: number,
  communityId: number,
  contact: { contactName: string; phone: string },
  at: number,
): Promise<void> {
  await tx.run('UPDATE households SET contact_name = ?, phone = ?, updated_at = ? WHERE id = ? AND community_id = ?', [
    contact.contactName,
    contact.phone,
    at,
    householdId,
    communityId,
  ]);
}

/** A household as staff list it in an import: one per building + unit + room. */
export interface ListedHousehold {
  buildingId: number;
  unit: string;
  floor: number;
  room: string;
  contactName: string;
  phone: string;
  elderlyAlone: boolean;
  disabled: boolean;
  postTreatment: boolean;
}

const CHUNK = 500;

/** One household per door: an existing one gets the list's contact and flags, a new door a new household. */
export async function applyListedHouseholds(
  tx: Sql,
  communityId: number,
  rows: readonly ListedHousehold[],
  at: number,
): Promise<{ inserted: number; updated: number }> {
  const existing = await tx.all('SELECT id, building_id, unit, room FROM households WHERE community_id = ?', [communityId]);
  const idOfDoor = new Map(existing.map((h) => [`${num(h.building_id)}|${String(h.unit)}|${String(h.room)}`, num(h.id)]));
  const fresh: ListedHousehold[] = [];
  let updated = 0;
  for (const r of rows) {
    const id = idOfDoor.get(`${r.buildingId}|${r.unit}|${r.room}`);
    if (id === undefined) {
      fresh.push(r);
      continue;
    }
    await tx.run(
      `UPDATE households SET floor = ?, contact_name = ?, phone = ?, elderly_alone = ?, disabled = ?, post_treatment = ?, updated_at = ?
        WHERE id = ?`,
      [r.floor, r.contactName, r.phone, r.elderlyAlone, r.disabled, r.postTreatment, at, id],
    );
    updated++;
  }
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const chunk = fresh.slice(i, i + CHUNK);
    await tx.run(
      `INSERT INTO households (user_id, community_id, building_id, unit, floor, room, contact_name, phone, elderly_alone, disabled, post_treatment, created_at, updated_at)
       VALUES ${chunk.map(() => '(NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((r) => [
        communityId,
        r.buildingId,
        r.unit,
        r.floor,
        r.room,
        r.contactName,
        r.phone,
        r.elderlyAlone,
        r.disabled,
        r.postTreatment,
        at,
        at,
      ]),
    );
  }
  return { inserted: fresh.length, updated };
}
