import type { ImportKind } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import type { BuildingRef, HelperToApply, HouseholdToApply } from './domain';

// SQL of imports: the batch as uploaded, and applying it to households or helpers.

const CHUNK = 500;

export async function buildingsByName(sql: Sql, communityId: number): Promise<Map<string, BuildingRef[]>> {
  const rows = await sql.all<{ id: unknown; name: unknown; floors: unknown }>(
    'SELECT id, name, floors FROM buildings WHERE community_id = ?',
    [communityId],
  );
  const byName = new Map<string, BuildingRef[]>();
  for (const r of rows) {
    const name = String(r.name).trim();
    byName.set(name, [...(byName.get(name) ?? []), { id: num(r.id), floors: num(r.floors) }]);
  }
  return byName;
}

export interface NewBatch {
  communityId: number;
  kind: ImportKind;
  fileName: string;
  validCount: number;
  invalidCount: number;
  reportJson: string;
  createdBy: number;
  createdAt: number;
  expiresAt: number;
}

export async function insertBatch(tx: Sql, b: NewBatch, rows: { rowNo: number; value: unknown }[]): Promise<number> {
  const { insertId } = await tx.run(
    `INSERT INTO import_batches (community_id, kind, status, file_name, valid_count, invalid_count, report_json, created_by, created_at, expires_at)
     VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
    [b.communityId, b.kind, b.fileName, b.validCount, b.invalidCount, b.reportJson, b.createdBy, b.createdAt, b.expiresAt],
  );
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await tx.run(
      `INSERT INTO import_batch_rows (batch_id, row_no, data_json) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
      chunk.flatMap((r) => [insertId, r.rowNo, JSON.stringify(r.value)]),
    );
  }
  return insertId;
}

/** Batches of the community left uncommitted past their time: discarded, their rows deleted. */
export async function discardExpired(tx: Sql, communityId: number, at: number): Promise<void> {
  const expired = await tx.all<{ id: unknown }>(
    "SELECT id FROM import_batches WHERE community_id = ? AND status = 'pending' AND expires_at < ?",
    [communityId, at],
  );
  if (expired.length === 0) return;
  const ids = expired.map((r) => num(r.id));
  const list = ids.map(() => '?').join(', ');
  await tx.run(`DELETE FROM import_batch_rows WHERE batch_id IN (${list})`, ids);
  await tx.run(`UPDATE import_batches SET status = 'discarded' WHERE id IN (${list})`, ids);
}

export interface BatchRecord {
  id: number;
  communityId: number;
  kind: ImportKind;
  status: 'pending' | 'committed' | 'discarded';
  invalidCount: number;
  expiresAt: number;
}

export async function findBatch(sql: Sql, id: number): Promise<BatchRecord | undefined> {
  const r = await sql.one<Record<string, unknown>>(
    'SELECT id, community_id, kind, status, invalid_count, expires_at FROM import_batches WHERE id = ?',
    [id],
  );
  return r
    ? {
        id: num(r.id),
        communityId: num(r.community_id),
        kind: r.kind as ImportKind,
        status: r.status as BatchRecord['status'],
        invalidCount: num(r.invalid_count),
        expiresAt: num(r.expires_at),
      }
    : undefined;
}

/** Takes the batch from pending to committed; 0 when someone committed it first (the row lock orders them). */
export async function claimBatch(tx: Sql, id: number, at: number): Promise<boolean> {
  const { affectedRows } = await tx.run(
    "UPDATE import_batches SET status = 'committed', committed_at = ? WHERE id = ? AND status = 'pending'",
    [at, id],
  );
  return affectedRows === 1;
}

export async function batchRows<T>(tx: Sql, id: number): Promise<T[]> {
  const rows = await tx.all<{ data_json: unknown }>('SELECT data_json FROM import_batch_rows WHERE batch_id = ? ORDER BY row_no', [id]);
  return rows.map((r) => JSON.parse(String(r.data_json)) as T);
}

export interface Applied {
  inserted: number;
  updated: number;
}

/** One household per building + unit + room: an existing one gets the file's contact and flags. */
export async function applyHouseholds(tx: Sql, communityId: number, rows: HouseholdToApply[], at: number): Promise<Applied> {
  const existing = await tx.all<{ id: unknown; building_id: unknown; unit: unknown; room: unknown }>(
    'SELECT id, building_id, unit, room FROM households WHERE community_id = ?',
    [communityId],
  );
  const idOfDoor = new Map(existing.map((h) => [`${num(h.building_id)}|${String(h.unit)}|${String(h.room)}`, num(h.id)]));
  const fresh: HouseholdToApply[] = [];
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

/**
 * One helper per phone number in the community. A helper already there is updated; otherwise the
 * person's account (a user with that phone and no helper role yet) becomes a helper; otherwise an
 * account is made for them, keyed `import:<community>:<phone>` until they sign in with WeChat.
 * Staff vouch for the people on their list, so imported helpers are verified.
 */
export async function applyHelpers(tx: Sql, communityId: number, rows: HelperToApply[], at: number): Promise<Applied> {
  const existing = await tx.all<{ helper_id: unknown; user_id: unknown; phone: unknown }>(
    'SELECT h.id AS helper_id, u.id AS user_id, u.phone FROM helpers h JOIN users u ON u.id = h.user_id WHERE h.community_id = ?',
    [communityId],
  );
  const byPhone = new Map(existing.map((h) => [String(h.phone), { helperId: num(h.helper_id), userId: num(h.user_id) }]));
  let inserted = 0;
  let updated = 0;
  for (const r of rows) {
    const home =
      r.homeBuildingId === null
        ? undefined
        : await tx.one<{ lat: unknown; lng: unknown }>('SELECT lat, lng FROM buildings WHERE id = ?', [r.homeBuildingId]);
    const known = byPhone.get(r.phone);
    if (known) {
      await tx.run(
        'UPDATE helpers SET kind = ?, can_carry_heavy = ?, capacity = ?, home_building_id = COALESCE(?, home_building_id) WHERE id = ?',
        [r.kind, r.canCarryHeavy, r.capacity, r.homeBuildingId, known.helperId],
      );
      await tx.run('UPDATE users SET name = ? WHERE id = ?', [r.name, known.userId]);
      updated++;
      continue;
    }
    const user = await tx.one<{ id: unknown; roles: unknown }>(
      'SELECT u.id, u.roles FROM users u LEFT JOIN helpers h ON h.user_id = u.id WHERE u.phone = ? AND h.id IS NULL ORDER BY u.id LIMIT 1',
      [r.phone],
    );
    let userId: number;
    if (user) {
      userId = num(user.id);
      const roles = String(user.roles).split(',').filter(Boolean);
      if (!roles.includes('helper')) await tx.run('UPDATE users SET roles = ? WHERE id = ?', [[...roles, 'helper'].join(','), userId]);
    } else {
      userId = (
        await tx.run('INSERT INTO users (openid, name, phone, roles, created_at) VALUES (?, ?, ?, ?, ?)', [
          `import:${communityId}:${r.phone}`,
          r.name,
          r.phone,
          'helper',
          at,
        ])
      ).insertId;
    }
    await tx.run(
      `INSERT INTO helpers (user_id, community_id, kind, verified, on_duty, capacity, can_carry_heavy, home_building_id, lat, lng, created_at)
       VALUES (?, ?, ?, 1, 0, ?, ?, ?, ?, ?, ?)`,
      [userId, communityId, r.kind, r.capacity, r.canCarryHeavy, r.homeBuildingId, home ? home.lat : null, home ? home.lng : null, at],
    );
    inserted++;
  }
  return { inserted, updated };
}
