import type { HelperKind, HelperProfile } from '@linli/contracts';
import { bool, num, numOrNull, type Sql } from '../../infra/db/database';

// The helper service's own SQL on helpers and helper_zones, each row shape mapped once here.
// (store.ts holds what other modules read and write.)

export async function helperProfileOfUser(sql: Sql, userId: number): Promise<HelperProfile | null> {
  const h = await sql.one('SELECT id, kind, verified, on_duty, capacity, can_carry_heavy, community_id FROM helpers WHERE user_id = ?', [
    userId,
  ]);
  if (!h) return null;
  return {
    id: num(h.id),
    kind: h.kind as HelperKind,
    verified: bool(h.verified),
    onDuty: bool(h.on_duty),
    capacity: num(h.capacity),
    canCarryHeavy: bool(h.can_carry_heavy),
    communityId: num(h.community_id),
    zoneBuildingIds: await zoneOf(sql, num(h.id)),
  };
}

/** The buildings a helper answers for, ascending. */
export async function zoneOf(sql: Sql, helperId: number): Promise<number[]> {
  const rows = await sql.all('SELECT building_id FROM helper_zones WHERE helper_id = ? ORDER BY building_id', [helperId]);
  return rows.map((r) => num(r.building_id));
}

/** The zones of these helpers at once (a helper without one gets an empty list). */
export async function zonesOf(sql: Sql, helperIds: readonly number[]): Promise<Map<number, number[]>> {
  const zones = new Map<number, number[]>(helperIds.map((id) => [id, []]));
  if (helperIds.length === 0) return zones;
  const rows = await sql.all(
    `SELECT helper_id, building_id FROM helper_zones WHERE helper_id IN (${helperIds.map(() => '?').join(', ')}) ORDER BY building_id`,
    [...helperIds],
  );
  for (const r of rows) zones.get(num(r.helper_id))?.push(num(r.building_id));
  return zones;
}

export async function replaceZone(tx: Sql, helperId: number, communityId: number, buildingIds: readonly number[]): Promise<void> {
  await tx.run('DELETE FROM helper_zones WHERE helper_id = ?', [helperId]);
  for (const buildingId of buildingIds) {
    await tx.run('INSERT INTO helper_zones (helper_id, building_id, community_id) VALUES (?, ?, ?)', [helperId, buildingId, communityId]);
  }
}

export interface DutyState {
  communityId: number;
  onDutySince: number | null;
  dutyDay: number;
  dutyMinutesDay: number;
  positionAt: number | null;
  homeBuildingId: number | null;
}

export async function dutyStateOf(sql: Sql, helperId: number): Promise<DutyState | null> {
  const h = await sql.one(
    'SELECT community_id, on_duty_since, duty_day, duty_minutes_day, position_at, home_building_id FROM helpers WHERE id = ?',
    [helperId],
  );
  if (!h) return null;
  return {
    communityId: num(h.community_id),
    onDutySince: numOrNull(h.on_duty_since),
    dutyDay: num(h.duty_day),
    dutyMinutesDay: num(h.duty_minutes_day),
    positionAt: numOrNull(h.position_at),
    homeBuildingId: numOrNull(h.home_building_id),
  };
}

/**
 * Off duty, closing the spell that began at `since` (conditional on it: of two overlapping
 * off-duty calls only one counts the spell). True when this call closed it.
 */
export async function closeDuty(
  tx: Sql,
  helperId: number,
  since: number | null,
  spell: { dutyDay: number; dutyMinutesDay: number; minutes: number },
): Promise<boolean> {
  const res = await tx.run(
    `UPDATE helpers SET on_duty = 0, on_duty_since = NULL, duty_day = ?, duty_minutes_day = ?, duty_minutes_total = duty_minutes_total + ?
      WHERE id = ? AND ${since === null ? 'on_duty_since IS NULL' : 'on_duty_since = ?'}`,
    [spell.dutyDay, spell.dutyMinutesDay, spell.minutes, helperId, ...(since === null ? [] : [since])],
  );
  return res.affectedRows === 1;
}

/**
 * On duty since `since`. `position`: a reported one (stamped `at`), the home building's (no
 * stamp, `null` if there is none), or 'keep' the fresh one the helper reported before.
 */
export async function startDuty(
  sql: Sql,
  helperId: number,
  since: number,
  position: { reported: { lat: number; lng: number }; at: number } | { home: { lat: number; lng: number } | null } | 'keep',
): Promise<void> {
  if (position === 'keep') {
    await sql.run('UPDATE helpers SET on_duty = 1, on_duty_since = ? WHERE id = ?', [since, helperId]);
  } else if ('reported' in position) {
    const { lat, lng } = position.reported;
    await sql.run('UPDATE helpers SET on_duty = 1, on_duty_since = ?, lat = ?, lng = ?, position_at = ? WHERE id = ?', [
      since,
      lat,
      lng,
      position.at,
      helperId,
    ]);
  } else {
    await sql.run('UPDATE helpers SET on_duty = 1, on_duty_since = ?, lat = ?, lng = ?, position_at = NULL WHERE id = ?', [
      since,
      position.home?.lat ?? null,
      position.home?.lng ?? null,
      helperId,
    ]);
  }
}

/** Where offers are searched from, or null when the helper has no position at all. */
export async function positionOf(sql: Sql, helperId: number): Promise<{ lat: number; lng: number } | null> {
  const p = await sql.one('SELECT lat, lng FROM helpers WHERE id = ?', [helperId]);
  return p && p.lat !== null ? { lat: Number(p.lat), lng: Number(p.lng) } : null;
}

/** Helpers whose reported position is older than `before` and who have a home building to fall back to. */
export async function agedPositions(
  sql: Sql,
  before: number,
  limit: number,
): Promise<{ id: number; communityId: number; onDuty: boolean; homeBuildingId: number }[]> {
  const rows = await sql.all(
    `SELECT id, community_id, on_duty, home_building_id FROM helpers
      WHERE position_at IS NOT NULL AND position_at < ? AND home_building_id IS NOT NULL LIMIT ${Math.floor(limit)}`,
    [before],
  );
  return rows.map((r) => ({
    id: num(r.id),
    communityId: num(r.community_id),
    onDuty: bool(r.on_duty),
    homeBuildingId: num(r.home_building_id),
  }));
}

export async function resetToHome(sql: Sql, helperId: number, home: { lat: number; lng: number }): Promise<void> {
  await sql.run('UPDATE helpers SET lat = ?, lng = ?, position_at = NULL WHERE id = ?', [home.lat, home.lng, helperId]);
}

export interface ServiceTotals {
  createdAt: number | null;
  onDutySince: number | null;
  dutyMinutesTotal: number;
  ratingSum: number;
  ratingCount: number;
}

export async function serviceTotals(sql: Sql, helperId: number): Promise<ServiceTotals | null> {
  const r = await sql.one('SELECT created_at, on_duty_since, duty_minutes_total, rating_sum, rating_count FROM helpers WHERE id = ?', [
    helperId,
  ]);
  if (!r) return null;
  return {
    createdAt: numOrNull(r.created_at),
    onDutySince: numOrNull(r.on_duty_since),
    dutyMinutesTotal: num(r.duty_minutes_total),
    ratingSum: num(r.rating_sum),
    ratingCount: num(r.rating_count),
  };
}

/** Whether the helper is verified, locked for the caller's transaction (MySQL); null when not of this community. */
export async function lockVerified(tx: Sql, helperId: number, communityId: number): Promise<boolean | null> {
  const r = await tx.one(`SELECT verified FROM helpers WHERE id = ? AND community_id = ?${tx.sqlDialect.forUpdate}`, [
    helperId,
    communityId,
  ]);
  return r ? bool(r.verified) : null;
}

export async function setVerified(tx: Sql, helperId: number, verified: boolean): Promise<void> {
  await tx.run('UPDATE helpers SET verified = ? WHERE id = ?', [verified, helperId]);
}

export interface HelperRow {
  id: number;
  userId: number;
  kind: HelperKind;
  verified: boolean;
  onDuty: boolean;
  capacity: number;
  canCarryHeavy: boolean;
  ratingSum: number;
  ratingCount: number;
}

/** Helpers matching `where` (a condition on alias h, literals of the service), by id. */
export async function helperRows(sql: Sql, where: string, params: unknown[]): Promise<HelperRow[]> {
  const rows = await sql.all(
    `SELECT h.id, h.user_id, h.kind, h.verified, h.on_duty, h.capacity, h.can_carry_heavy, h.rating_sum, h.rating_count
       FROM helpers h WHERE ${where} ORDER BY h.id`,
    params,
  );
  return rows.map((r) => ({
    id: num(r.id),
    userId: num(r.user_id),
    kind: r.kind as HelperKind,
    verified: bool(r.verified),
    onDuty: bool(r.on_duty),
    capacity: num(r.capacity),
    canCarryHeavy: bool(r.can_carry_heavy),
    ratingSum: num(r.rating_sum),
    ratingCount: num(r.rating_count),
  }));
}
