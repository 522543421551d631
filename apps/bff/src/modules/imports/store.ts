import type { ImportKind } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import { createListedUser, grantRole, renameUser, userContacts, usersWithPhone } from '../auth/store';
import { applyListedHouseholds } from '../community/household-store';
import { buildingsById, buildingsOfCommunity } from '../community/store';
import { helpersOfCommunity, insertListedHelper, updateListedHelper, usersWhoAreHelpers } from '../helpers/store';
import type { BuildingRef, HelperToApply, HouseholdToApply } from './domain';

// SQL of imports: the batch as uploaded; applying it goes through the owners of households,
// helpers and users (community, helpers and auth stores).

const CHUNK = 500;

/** The community's buildings by name (a name used in two compounds maps to both). */
export async function buildingsByName(sql: Sql, communityId: number): Promise<Map<string, BuildingRef[]>> {
  const byName = new Map<string, BuildingRef[]>();
  for (const b of await buildingsOfCommunity(sql, communityId)) {
    const name = b.name.trim();
    byName.set(name, [...(byName.get(name) ?? []), { id: b.id, floors: b.floors }]);
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
export function applyHouseholds(tx: Sql, communityId: number, rows: HouseholdToApply[], at: number): Promise<Applied> {
  return applyListedHouseholds(tx, communityId, rows, at);
}

/**
 * One helper per phone number in the community. A helper already there is updated; otherwise the
 * person's account (a user with that phone and no helper role yet) becomes a helper; otherwise an
 * account is made for them, keyed `import:<community>:<phone>` until they sign in with WeChat.
 * Staff vouch for the people on their list, so imported helpers are verified.
 */
export async function applyHelpers(tx: Sql, communityId: number, rows: HelperToApply[], at: number): Promise<Applied> {
  const helpers = await helpersOfCommunity(tx, communityId);
  const contacts = await userContacts(
    tx,
    helpers.map((h) => h.userId),
  );
  const byPhone = new Map(helpers.map((h) => [contacts.get(h.userId)?.phone ?? '', { helperId: h.id, userId: h.userId }]));
  const homes = await buildingsById(
    tx,
    rows.flatMap((r) => (r.homeBuildingId === null ? [] : [r.homeBuildingId])),
  );
  let inserted = 0;
  let updated = 0;
  for (const r of rows) {
    const listed = { kind: r.kind, canCarryHeavy: r.canCarryHeavy, capacity: r.capacity, homeBuildingId: r.homeBuildingId };
    const known = byPhone.get(r.phone);
    if (known) {
      await updateListedHelper(tx, known.helperId, listed);
      await renameUser(tx, known.userId, r.name);
      updated++;
      continue;
    }
    const withPhone = await usersWithPhone(tx, r.phone);
    const helping = await usersWhoAreHelpers(
      tx,
      withPhone.map((u) => u.id),
    );
    const user = withPhone.find((u) => !helping.has(u.id));
    let userId: number;
    if (user) {
      userId = user.id;
      await grantRole(tx, user, 'helper');
    } else {
      userId = await createListedUser(tx, {
        placeholderOpenid: `import:${communityId}:${r.phone}`,
        name: r.name,
        phone: r.phone,
        roles: ['helper'],
        at,
      });
    }
    const home = r.homeBuildingId === null ? undefined : homes.get(r.homeBuildingId);
    await insertListedHelper(tx, { ...listed, userId, communityId, home: home ? { lat: home.lat, lng: home.lng } : null, at });
    inserted++;
  }
  return { inserted, updated };
}
