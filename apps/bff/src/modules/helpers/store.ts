import type { HelperKind } from '@linli/contracts';
import { bool, num, type Sql } from '../../infra/db/database';
import { userContacts } from '../auth/store';

// The SQL other modules need of helpers and helper_zones (this module owns both tables, see
// infra/db/table-ownership.ts): typed records, each row shape mapped in one place.

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const unique = (ids: readonly number[]) => [...new Set(ids)];

export interface HelperStanding {
  id: number;
  userId: number;
  communityId: number;
  verified: boolean;
}

const toStanding = (r: Record<string, unknown>): HelperStanding => ({
  id: num(r.id),
  userId: num(r.user_id),
  communityId: num(r.community_id),
  verified: bool(r.verified),
});

/** Whose account a helper is, where they serve and whether staff verified them. */
export async function helperStanding(sql: Sql, helperId: number): Promise<HelperStanding | null> {
  const r = await sql.one('SELECT id, user_id, community_id, verified FROM helpers WHERE id = ?', [helperId]);
  return r ? toStanding(r) : null;
}

/** Every helper of a community. */
export async function helpersOfCommunity(sql: Sql, communityId: number): Promise<HelperStanding[]> {
  const rows = await sql.all('SELECT id, user_id, community_id, verified FROM helpers WHERE community_id = ? ORDER BY id', [communityId]);
  return rows.map(toStanding);
}

/** Which of these users are helpers already (anywhere). */
export async function usersWhoAreHelpers(sql: Sql, userIds: readonly number[]): Promise<Set<number>> {
  const ids = unique(userIds);
  if (ids.length === 0) return new Set();
  const rows = await sql.all(`SELECT user_id FROM helpers WHERE user_id IN (${placeholders(ids.length)})`, ids);
  return new Set(rows.map((r) => num(r.user_id)));
}

/** The names helpers go by (their account's name), for lists. */
export async function helperNames(sql: Sql, helperIds: readonly number[]): Promise<Map<number, string>> {
  const ids = unique(helperIds);
  if (ids.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, user_id FROM helpers WHERE id IN (${placeholders(ids.length)})`, ids);
  const users = await userContacts(
    sql,
    rows.map((r) => num(r.user_id)),
  );
  return new Map(rows.map((r) => [num(r.id), users.get(num(r.user_id))?.name ?? '']));
}

/** Verified helpers on duty, per community (communities with none are absent). */
export async function helpersOnDutyCounts(sql: Sql, communityIds: readonly number[]): Promise<Map<number, number>> {
  const ids = unique(communityIds);
  if (ids.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT community_id, COUNT(*) AS n FROM helpers WHERE community_id IN (${placeholders(ids.length)}) AND on_duty = 1 AND verified = 1 GROUP BY community_id`,
    ids,
  );
  return new Map(rows.map((r) => [num(r.community_id), num(r.n)]));
}

/** What a staff list says of a helper. */
export interface ListedHelper {
  kind: HelperKind;
  canCarryHeavy: boolean;
  capacity: number;
  homeBuildingId: number | null;
}

/** A helper already there takes the list's kind, capacity and (if given) home building. */
export async function updateListedHelper(tx: Sql, helperId: number, h: ListedHelper): Promise<void> {
  await tx.run(
    'UPDATE helpers SET kind = ?, can_carry_heavy = ?, capacity = ?, home_building_id = COALESCE(?, home_building_id) WHERE id = ?',
    [h.kind, h.canCarryHeavy, h.capacity, h.homeBuildingId, helperId],
  );
}

/**
 * A listed person becomes a helper of the community: verified (staff vouch for their list), off
 * duty, positioned at their home building until they report a position.
 */
export async function insertListedHelper(
  tx: Sql,
  h: ListedHelper & { userId: number; communityId: number; home: { lat: number; lng: number } | null; at: number },
): Promise<number> {
  const res = await tx.run(
    `INSERT INTO helpers (user_id, community_id, kind, verified, on_duty, capacity, can_carry_heavy, home_building_id, lat, lng, created_at)
     VALUES (?, ?, ?, 1, 0, ?, ?, ?, ?, ?, ?)`,
    [h.userId, h.communityId, h.kind, h.capacity, h.canCarryHeavy, h.homeBuildingId, h.home?.lat ?? null, h.home?.lng ?? null, h.at],
  );
  return res.insertId;
}

/** A household rated an errand this helper delivered: the stars add to the helper's average. */
export async function addHelperRating(tx: Sql, helperId: number, stars: number): Promise<void> {
  await tx.run('UPDATE helpers SET rating_sum = rating_sum + ?, rating_count = rating_count + 1 WHERE id = ?', [stars, helperId]);
}

/** A verified helper of a community as the staff desk's assign list weighs them. */
export interface AssignableHelper {
  helperId: number;
  userId: number;
  onDuty: boolean;
  capacity: number;
  canCarryHeavy: boolean;
  position: { lat: number; lng: number } | null;
  /** Whether the building is in the helper's zone. */
  inZone: boolean;
}

/** The community's verified helpers (at most `limit`, by id), each with whether `buildingId` is in their zone. */
export async function assignableHelpers(sql: Sql, communityId: number, buildingId: number, limit: number): Promise<AssignableHelper[]> {
  const rows = await sql.all(
    `SELECT h.id, h.user_id, h.on_duty, h.capacity, h.can_carry_heavy, h.lat, h.lng,
            EXISTS (SELECT 1 FROM helper_zones z WHERE z.helper_id = h.id AND z.building_id = ?) AS in_zone
       FROM helpers h
      WHERE h.community_id = ? AND h.verified = ?
      ORDER BY h.id LIMIT ${Math.trunc(limit)}`,
    [buildingId, communityId, true],
  );
  return rows.map((r) => ({
    helperId: num(r.id),
    userId: num(r.user_id),
    onDuty: bool(r.on_duty),
    capacity: num(r.capacity),
    canCarryHeavy: bool(r.can_carry_heavy),
    position: r.lat === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    inZone: bool(r.in_zone),
  }));
}

/** Who a helper is on a statistics page. */
export interface NamedHelper {
  helperId: number;
  name: string;
  kind: HelperKind;
  communityId: number;
  onDutySince: number | null;
}

/** The helpers of some communities and some helpers by id, with their names (from auth). */
export async function namedHelpersOf(sql: Sql, communityIds: readonly number[], helperIds: readonly number[]): Promise<NamedHelper[]> {
  const where = [
    communityIds.length ? `community_id IN (${placeholders(communityIds.length)})` : null,
    helperIds.length ? `id IN (${placeholders(helperIds.length)})` : null,
  ]
    .filter(Boolean)
    .join(' OR ');
  if (!where) return [];
  const rows = await sql.all(`SELECT id, user_id, kind, community_id, on_duty_since FROM helpers WHERE ${where}`, [
    ...communityIds,
    ...helperIds,
  ]);
  const names = await userContacts(
    sql,
    rows.map((row) => num(row.user_id)),
  );
  return rows.map((row) => ({
    helperId: num(row.id),
    name: names.get(num(row.user_id))?.name ?? '',
    kind: row.kind as HelperKind,
    communityId: num(row.community_id),
    onDutySince: row.on_duty_since === null || row.on_duty_since === undefined ? null : num(row.on_duty_since),
  }));
}

/** When the earliest duty spell still open among the helpers of some communities began (null: none open). */
export async function earliestOpenDutySince(sql: Sql, communityIds: readonly number[]): Promise<number | null> {
  if (communityIds.length === 0) return null;
  const row = await sql.one(
    `SELECT MIN(on_duty_since) AS since FROM helpers WHERE community_id IN (${placeholders(communityIds.length)}) AND on_duty_since IS NOT NULL`,
    [...communityIds],
  );
  return row?.since === null || row?.since === undefined ? null : num(row.since);
}

/** On-duty helpers of a community inside a lat/lng box (the SQL geo index; a radius filter follows). */
export async function onDutyHelpersInBox(
  sql: Sql,
  communityId: number,
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
): Promise<{ helperId: number; lat: number; lng: number }[]> {
  const rows = await sql.all(
    `SELECT id, lat, lng FROM helpers
      WHERE community_id = ? AND on_duty = 1 AND lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?`,
    [communityId, box.minLat, box.maxLat, box.minLng, box.maxLng],
  );
  return rows.map((r) => ({ helperId: num(r.id), lat: Number(r.lat), lng: Number(r.lng) }));
}

/** Every on-duty helper with a position (what a Redis geo index is rebuilt from). */
export async function onDutyPositions(sql: Sql): Promise<{ helperId: number; communityId: number; lat: number; lng: number }[]> {
  const rows = await sql.all('SELECT id, community_id, lat, lng FROM helpers WHERE on_duty = 1 AND lat IS NOT NULL AND lng IS NOT NULL');
  return rows.map((r) => ({ helperId: num(r.id), communityId: num(r.community_id), lat: Number(r.lat), lng: Number(r.lng) }));
}

/** The phone number of a helper's account (null when none is on file). */
export async function helperPhone(sql: Sql, helperId: number): Promise<string | null> {
  const r = await sql.one('SELECT user_id FROM helpers WHERE id = ?', [helperId]);
  if (!r) return null;
  return (await userContacts(sql, [num(r.user_id)])).get(num(r.user_id))?.phone ?? null;
}

/** Each helper's user and kind, by helper id (absent helpers are left out). */
export async function helperIdentities(sql: Sql, helperIds: number[]): Promise<Map<number, { userId: number; kind: HelperKind }>> {
  if (helperIds.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, user_id, kind FROM helpers WHERE id IN (${placeholders(helperIds.length)})`, helperIds);
  return new Map(rows.map((r) => [num(r.id), { userId: num(r.user_id), kind: r.kind as HelperKind }]));
}

/** The helper record of a user, or null when the user is no helper. */
export async function helperIdOfUser(sql: Sql, userId: number): Promise<number | null> {
  const r = await sql.one('SELECT id FROM helpers WHERE user_id = ?', [userId]);
  return r ? num(r.id) : null;
}
