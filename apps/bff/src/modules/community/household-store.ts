import type { HouseholdChangeRequest, HouseholdInput, HouseholdView, LockdownStatus } from '@linli/contracts';
import { bool, num, numOrNull, type Sql } from '../../infra/db/database';

// The SQL of households and household change requests: each row shape mapped once, here.

/**
 * The household columns a HouseholdInput writes, in one order: registration's upsert and staff
 * edits both build their statements from it, so a new flag is added once.
 */
export function householdInputColumns(input: HouseholdInput): [column: string, value: unknown][] {
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

export type HouseholdWithLocation = HouseholdView & { location: { lat: number; lng: number } };

const HOUSEHOLD_SELECT = `
  SELECT h.id, h.community_id, c.name AS community_name, b.compound_id, cp.name AS compound_name,
         cp.lockdown, h.building_id, b.name AS building_name, b.has_lift, h.unit, h.floor, h.room,
         h.contact_name, h.phone, h.elderly_alone, h.disabled, h.post_treatment, h.chronic_medication, h.infants, h.pregnancy, b.lat, b.lng
    FROM households h
    JOIN buildings b ON b.id = h.building_id
    JOIN compounds cp ON cp.id = b.compound_id
    JOIN communities c ON c.id = h.community_id`;

function toHouseholdView(r: Record<string, unknown>): HouseholdWithLocation {
  return {
    id: num(r.id),
    communityId: num(r.community_id),
    communityName: String(r.community_name),
    compoundId: num(r.compound_id),
    compoundName: String(r.compound_name),
    compoundLockdown: r.lockdown as LockdownStatus,
    buildingId: num(r.building_id),
    buildingName: String(r.building_name),
    hasLift: bool(r.has_lift),
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
export async function lockHouseholdDetails(
  tx: Sql,
  householdId: number,
  communityId: number,
): Promise<(HouseholdInput & { buildingId: number }) | null> {
  const r = await tx.one(
    `SELECT building_id, unit, floor, room, contact_name, phone, elderly_alone, disabled, post_treatment,
            chronic_medication, infants, pregnancy
       FROM households WHERE id = ? AND community_id = ?${tx.sqlDialect.forUpdate}`,
    [householdId, communityId],
  );
  if (!r) return null;
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

/** Someone submitting for a neighbour typed a contact that differs from the registry's: staff decide. */
export async function insertChangeRequest(
  tx: Sql,
  r: { communityId: number; householdId: number; requestedBy: number; contactName: string; phone: string; at: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO household_change_requests (community_id, household_id, requested_by, contact_name, phone, status, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    [r.communityId, r.householdId, r.requestedBy, r.contactName, r.phone, r.at],
  );
}

/** A community's open change requests, oldest first, with the household's current contact. */
export async function pendingChangeRequests(sql: Sql, communityId: number): Promise<HouseholdChangeRequest[]> {
  const rows = await sql.all(
    `SELECT r.id, r.household_id, r.requested_by, r.contact_name, r.phone, r.status, r.created_at,
            h.contact_name AS current_name, h.phone AS current_phone
       FROM household_change_requests r JOIN households h ON h.id = r.household_id
      WHERE r.community_id = ? AND r.status = 'pending'
      ORDER BY r.id LIMIT 200`,
    [communityId],
  );
  return rows.map((r) => ({
    id: num(r.id),
    householdId: num(r.household_id),
    current: { contactName: String(r.current_name), phone: String(r.current_phone) },
    proposed: { contactName: String(r.contact_name), phone: String(r.phone) },
    requestedBy: num(r.requested_by),
    status: r.status as HouseholdChangeRequest['status'],
    createdAt: new Date(num(r.created_at)).toISOString(),
  }));
}

export interface ChangeRequestRow {
  householdId: number | null;
  contactName: string;
  phone: string;
  status: HouseholdChangeRequest['status'];
}

export async function changeRequestOfCommunity(sql: Sql, requestId: number, communityId: number): Promise<ChangeRequestRow | null> {
  const r = await sql.one(
    'SELECT household_id, contact_name, phone, status FROM household_change_requests WHERE id = ? AND community_id = ?',
    [requestId, communityId],
  );
  if (!r) return null;
  return {
    householdId: numOrNull(r.household_id),
    contactName: String(r.contact_name),
    phone: String(r.phone),
    status: r.status as ChangeRequestRow['status'],
  };
}

/** Closes a pending request once; false when it was already decided. */
export async function closeChangeRequest(tx: Sql, requestId: number, approve: boolean, decidedBy: number, at: number): Promise<boolean> {
  const closed = await tx.run(
    "UPDATE household_change_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'",
    [approve ? 'approved' : 'rejected', at, decidedBy, requestId],
  );
  return closed.affectedRows === 1;
}

/** The id of the user's own household, or null when they have none. */
export async function householdIdOfUser(sql: Sql, userId: number): Promise<number | null> {
  const r = await sql.one<{ id: unknown }>('SELECT id FROM households WHERE user_id = ?', [userId]);
  return r ? num(r.id) : null;
}
