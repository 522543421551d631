import { WAITING_STATUSES, type ErrandCategory, type ErrandStatus } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import type { WaitingErrand } from './domain';

// SQL of the exports. A community's errands are walked in keyset pages on errands_export_index
// (community_id, created_at, id): every page is one short range read, the first and the
// thousandth alike, and no statement holds a cursor or a connection between pages.

export interface ErrandExportFilter {
  statuses?: readonly ErrandStatus[];
  category?: ErrandCategory;
  compoundId?: number;
  buildingId?: number;
  helperId?: number;
  fromMs?: number;
  toMs?: number;
}

export interface ErrandExportRow {
  id: number;
  publicId: string;
  createdAt: number;
  status: ErrandStatus;
  category: ErrandCategory;
  itemsJson: string | null;
  urgency: string;
  vulnerable: boolean;
  compoundId: number;
  buildingId: number;
  unit: string;
  floor: number;
  room: string;
  contactName: string;
  phone: string;
  helperId: number | null;
  acceptedAt: number | null;
  deliveredAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
}

export interface ExportPosition {
  createdAt: number;
  id: number;
}

const nullableNum = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** The `limit` errands of a community after `after` (from the start when null), oldest first. */
export async function errandExportPage(
  sql: Sql,
  communityId: number,
  f: ErrandExportFilter,
  after: ExportPosition | null,
  limit: number,
): Promise<ErrandExportRow[]> {
  const where = ['community_id = ?'];
  const params: unknown[] = [communityId];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  // `created_at >= ?` first: a range on the index. The OR alone would read the community from its
  // start on every page (MariaDB turns it into a ref on community_id), quadratic over an export.
  if (after) add('created_at >= ? AND (created_at > ? OR id > ?)', after.createdAt, after.createdAt, after.id);
  if (f.statuses) add(`status IN (${f.statuses.map(() => '?').join(', ')})`, ...f.statuses);
  if (f.category) add('category = ?', f.category);
  if (f.compoundId !== undefined) add('compound_id = ?', f.compoundId);
  if (f.buildingId !== undefined) add('building_id = ?', f.buildingId);
  if (f.helperId !== undefined) add('helper_id = ?', f.helperId);
  if (f.fromMs !== undefined) add('created_at >= ?', f.fromMs);
  if (f.toMs !== undefined) add('created_at < ?', f.toMs);
  // The page is chosen on the index alone, then joined: the joins never decide the plan. The index
  // is named because MariaDB, seeing the community's whole range, may otherwise pick a ref on
  // community_id and filter its way to the position (measured: 4 ms a page named, 35–80 ms not).
  const hint = sql.sqlDialect.requireIndex('errands_export_index');
  // Only the household is joined (one row each): compound and building names are read once per
  // export and helper names once per helper (exports/service.ts), which saves MariaDB three lookups a row.
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT e.id, e.public_id, e.created_at, e.status, e.category, e.items_json, e.urgency, e.vulnerable,
            e.accepted_at, e.delivered_at, e.completed_at, e.cancelled_at, e.compound_id, e.building_id, e.helper_id,
            h.unit, h.floor, h.room, h.contact_name, h.phone
       FROM (SELECT * FROM errands${hint} WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ${Math.trunc(limit)}) e
       JOIN households h ON h.id = e.household_id
      ORDER BY e.created_at, e.id`,
    params,
  );
  return rows.map((r) => ({
    id: num(r.id),
    publicId: String(r.public_id),
    createdAt: num(r.created_at),
    status: r.status as ErrandStatus,
    category: r.category as ErrandCategory,
    itemsJson: r.items_json === null ? null : String(r.items_json),
    urgency: String(r.urgency),
    vulnerable: Boolean(num(r.vulnerable)),
    compoundId: num(r.compound_id),
    buildingId: num(r.building_id),
    unit: String(r.unit),
    floor: num(r.floor),
    room: String(r.room),
    contactName: String(r.contact_name),
    phone: String(r.phone),
    helperId: nullableNum(r.helper_id),
    acceptedAt: nullableNum(r.accepted_at),
    deliveredAt: nullableNum(r.delivered_at),
    completedAt: nullableNum(r.completed_at),
    cancelledAt: nullableNum(r.cancelled_at),
  }));
}

/** A building's or compound's errands waiting for a helper, longest-waiting first, at most `limit`. */
export async function waitingErrands(
  sql: Sql,
  communityId: number,
  place: { buildingId?: number; compoundId?: number },
  limit: number,
): Promise<WaitingErrand[]> {
  const column = place.buildingId !== undefined ? 'e.building_id' : 'e.compound_id';
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT b.name AS building_name, h.floor, e.items_json, e.category, e.created_at
       FROM errands e
       JOIN buildings b ON b.id = e.building_id
       JOIN households h ON h.id = e.household_id
      WHERE e.community_id = ? AND e.status IN (${WAITING_STATUSES.map(() => '?').join(', ')}) AND ${column} = ?
      ORDER BY e.created_at, e.id
      LIMIT ${Math.trunc(limit)}`,
    [communityId, ...WAITING_STATUSES, place.buildingId ?? place.compoundId],
  );
  return rows.map((r) => ({
    buildingName: String(r.building_name),
    floor: num(r.floor),
    itemsJson: r.items_json === null ? null : String(r.items_json),
    category: r.category as ErrandCategory,
    createdAt: num(r.created_at),
  }));
}
