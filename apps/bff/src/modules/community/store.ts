import type { CommunityContact, LockdownStatus } from '@linli/contracts';
import { bool, num, numOrNull, type Row, type Sql } from '../../infra/db/database';

// The SQL of communities, compounds and buildings, for this module's services and the others
// (households: household-store.ts, household-read-store.ts): each row shape mapped in one place.

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const unique = (ids: readonly number[]) => [...new Set(ids)];

export interface BuildingPlace {
  id: number;
  communityId: number;
  compoundId: number;
  name: string;
  floors: number;
  hasLift: boolean;
  lat: number;
  lng: number;
}

const BUILDING_COLUMNS = 'id, community_id, compound_id, name, floors, has_lift, lat, lng';

const toBuildingPlace = (r: Record<string, unknown>): BuildingPlace => ({
  id: num(r.id),
  communityId: num(r.community_id),
  compoundId: num(r.compound_id),
  name: String(r.name),
  floors: num(r.floors),
  hasLift: bool(r.has_lift),
  lat: Number(r.lat),
  lng: Number(r.lng),
});

/** Every building of a community, by id. */
export async function buildingsOfCommunity(sql: Sql, communityId: number): Promise<BuildingPlace[]> {
  const rows = await sql.all(`SELECT ${BUILDING_COLUMNS} FROM buildings WHERE community_id = ? ORDER BY id`, [communityId]);
  return rows.map(toBuildingPlace);
}

/** These buildings (unknown ids are absent from the map). */
export async function buildingsById(sql: Sql, buildingIds: readonly number[]): Promise<Map<number, BuildingPlace>> {
  const ids = unique(buildingIds);
  if (ids.length === 0) return new Map();
  const rows = await sql.all(`SELECT ${BUILDING_COLUMNS} FROM buildings WHERE id IN (${placeholders(ids.length)})`, ids);
  return new Map(rows.map((r) => [num(r.id), toBuildingPlace(r)]));
}

/** A community's place in the administration: its street and district (ids null before levels were set). */
export interface CommunityPlace {
  id: number;
  name: string;
  streetId: number | null;
  districtId: number | null;
  /** The street's name as typed when the community was registered (before streets had rows). */
  streetText: string;
}

const toCommunityPlace = (r: Record<string, unknown>): CommunityPlace => ({
  id: num(r.id),
  name: String(r.name),
  streetId: numOrNull(r.street_id),
  districtId: numOrNull(r.district_id),
  streetText: String(r.street),
});

export async function communityPlaces(sql: Sql, communityIds: readonly number[]): Promise<CommunityPlace[]> {
  const ids = unique(communityIds);
  if (ids.length === 0) return [];
  const rows = await sql.all(
    `SELECT id, name, street_id, district_id, street FROM communities WHERE id IN (${placeholders(ids.length)}) ORDER BY id`,
    ids,
  );
  return rows.map(toCommunityPlace);
}

/** The communities of a street or a district. */
export async function communityIdsUnder(sql: Sql, level: 'street' | 'district', scopeId: number): Promise<number[]> {
  const column = level === 'street' ? 'street_id' : 'district_id';
  const rows = await sql.all(`SELECT id FROM communities WHERE ${column} = ? ORDER BY id`, [scopeId]);
  return rows.map((r) => num(r.id));
}

export interface LockdownCount {
  communityId: number;
  lockdown: LockdownStatus;
  compounds: number;
}

/** Compounds per community and lockdown status. */
export async function lockdownCounts(sql: Sql, communityIds: readonly number[]): Promise<LockdownCount[]> {
  const ids = unique(communityIds);
  if (ids.length === 0) return [];
  const rows = await sql.all(
    `SELECT community_id, lockdown, COUNT(*) AS n FROM compounds WHERE community_id IN (${placeholders(ids.length)}) GROUP BY community_id, lockdown`,
    ids,
  );
  return rows.map((r) => ({ communityId: num(r.community_id), lockdown: r.lockdown as LockdownStatus, compounds: num(r.n) }));
}

/** A community's name and duty phone. */
export async function communityContact(sql: Sql, communityId: number): Promise<CommunityContact | null> {
  const r = await sql.one('SELECT id, name, duty_phone FROM communities WHERE id = ?', [communityId]);
  return r ? { id: num(r.id), name: String(r.name), dutyPhone: r.duty_phone === null ? null : String(r.duty_phone) } : null;
}

export interface CommunityListing {
  id: number;
  name: string;
  street: string;
  district: string;
}

export async function allCommunities(sql: Sql): Promise<CommunityListing[]> {
  const rows = await sql.all('SELECT id, name, street, district FROM communities ORDER BY id');
  return rows.map((r) => ({ id: num(r.id), name: String(r.name), street: String(r.street), district: String(r.district) }));
}

export interface CompoundListing {
  id: number;
  name: string;
  lockdown: LockdownStatus;
  buildings: { id: number; name: string; floors: number; hasLift: boolean }[];
}

/** A community's compounds, each with its buildings, by id. */
export async function compoundsWithBuildings(sql: Sql, communityId: number): Promise<CompoundListing[]> {
  const [compounds, buildings] = await Promise.all([
    sql.all('SELECT id, name, lockdown FROM compounds WHERE community_id = ? ORDER BY id', [communityId]),
    buildingsOfCommunity(sql, communityId),
  ]);
  return compounds.map((c) => ({
    id: num(c.id),
    name: String(c.name),
    lockdown: c.lockdown as LockdownStatus,
    buildings: buildings
      .filter((b) => b.compoundId === num(c.id))
      .map((b) => ({ id: b.id, name: b.name, floors: b.floors, hasLift: b.hasLift })),
  }));
}

/** A compound's lockdown status, locked for the caller's transaction (MySQL); null if not of this community. */
export async function lockCompoundLockdown(tx: Sql, compoundId: number, communityId: number): Promise<LockdownStatus | null> {
  const r = await tx.one(`SELECT lockdown FROM compounds WHERE id = ? AND community_id = ?${tx.sqlDialect.forUpdate}`, [
    compoundId,
    communityId,
  ]);
  return r ? (r.lockdown as LockdownStatus) : null;
}

export async function setCompoundLockdown(tx: Sql, compoundId: number, lockdown: LockdownStatus, at: number): Promise<void> {
  await tx.run('UPDATE compounds SET lockdown = ?, updated_at = ? WHERE id = ?', [lockdown, at, compoundId]);
}

/** The duty phone, locked for the caller's transaction (MySQL). */
export async function lockDutyPhone(tx: Sql, communityId: number): Promise<string | null> {
  const r = await tx.one(`SELECT duty_phone FROM communities WHERE id = ?${tx.sqlDialect.forUpdate}`, [communityId]);
  return r?.duty_phone === null || r?.duty_phone === undefined ? null : String(r.duty_phone);
}

export async function setDutyPhone(tx: Sql, communityId: number, dutyPhone: string): Promise<void> {
  await tx.run('UPDATE communities SET duty_phone = ? WHERE id = ?', [dutyPhone, communityId]);
}

const namesById = (rows: readonly Row[]) => new Map(rows.map((r) => [num(r.id), String(r.name)]));

/** Names of some compounds, by id (unknown ids are absent). */
export async function compoundNames(sql: Sql, compoundIds: readonly number[]): Promise<Map<number, string>> {
  const ids = unique(compoundIds);
  if (ids.length === 0) return new Map();
  return namesById(await sql.all(`SELECT id, name FROM compounds WHERE id IN (${placeholders(ids.length)})`, ids));
}

async function buildingNames(sql: Sql, buildingIds: readonly number[]): Promise<Map<number, string>> {
  const ids = unique(buildingIds);
  if (ids.length === 0) return new Map();
  return namesById(await sql.all(`SELECT id, name FROM buildings WHERE id IN (${placeholders(ids.length)})`, ids));
}

/** Display names of compounds and buildings, by id (for texts such as subscribe messages). */
export async function placeNames(
  sql: Sql,
  compoundIds: readonly number[],
  buildingIds: readonly number[],
): Promise<{ compounds: Map<number, string>; buildings: Map<number, string> }> {
  const [compounds, buildings] = await Promise.all([compoundNames(sql, compoundIds), buildingNames(sql, buildingIds)]);
  return { compounds, buildings };
}

/** Names of a community's compounds and of its buildings, by id (an export reads them once). */
export async function placeNamesOfCommunity(
  sql: Sql,
  communityId: number,
): Promise<{ compounds: Map<number, string>; buildings: Map<number, string> }> {
  const compounds = await sql.all('SELECT id, name FROM compounds WHERE community_id = ?', [communityId]);
  const buildings = await sql.all('SELECT id, name FROM buildings WHERE community_id = ?', [communityId]);
  return { compounds: namesById(compounds), buildings: namesById(buildings) };
}

/** A compound's community and name, or null when there is no such compound. */
export async function compoundPlace(sql: Sql, compoundId: number): Promise<{ communityId: number; name: string } | null> {
  const r = await sql.one<{ community_id: unknown; name: unknown }>('SELECT community_id, name FROM compounds WHERE id = ?', [compoundId]);
  return r ? { communityId: num(r.community_id), name: String(r.name) } : null;
}
