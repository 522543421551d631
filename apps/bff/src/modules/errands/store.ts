import {
  ACTIVE_TASK_STATUSES,
  OPEN_STATUSES,
  type Actor,
  type ErrandCategory,
  type ErrandItem,
  type ErrandStatus,
  type Urgency,
} from '@linli/contracts';
import { bool, num, numOrNull, type Database, type Row, type Sql, type Statement } from '../../infra/db/database';
import { notFound } from '../../errors';
import type { ErrandRecord, TimelineRow } from './domain';

// The errand record (its row with the places and people a view needs) and its timeline, as every
// use case reads them; and the reads of errands other modules make. Each row shape is mapped here.

const RECORD_COLUMNS = `e.id, e.public_id, e.community_id, e.building_id, e.household_id, e.requester_id, e.on_behalf, e.category,
         e.items_json, e.heavy, e.urgency, e.vulnerable, e.window_start, e.window_end, e.notes, e.status, e.helper_id,
         e.handover_code, e.version, e.dispatch_round, e.rating_stars, e.rating_comment, e.created_at, e.updated_at,
         e.sla_tier, e.due_at, e.compound_id, e.accepted_at,
         cp.name AS compound_name, cp.lockdown, b.name AS building_name, b.has_lift,
         hh.unit, hh.floor, hh.room, hh.contact_name, hh.phone AS contact_phone,
         hu.name AS helper_name, hu.phone AS helper_phone, hp.kind AS helper_kind, co.duty_phone`;
const RECORD_FROM = `
    FROM errands e
    JOIN buildings b ON b.id = e.building_id
    JOIN compounds cp ON cp.id = e.compound_id
    JOIN households hh ON hh.id = e.household_id
    LEFT JOIN helpers hp ON hp.id = e.helper_id
    LEFT JOIN users hu ON hu.id = hp.user_id
    LEFT JOIN communities co ON co.id = e.community_id`;
const RECORD_SELECT = `SELECT ${RECORD_COLUMNS} ${RECORD_FROM}`;

export function toRecord(r: Row): ErrandRecord {
  return {
    id: num(r.id),
    publicId: String(r.public_id),
    communityId: num(r.community_id),
    compoundId: num(r.compound_id),
    buildingId: num(r.building_id),
    householdId: num(r.household_id),
    requesterId: num(r.requester_id),
    onBehalf: bool(r.on_behalf),
    category: r.category as ErrandRecord['category'],
    items: JSON.parse(String(r.items_json)) as ErrandItem[],
    heavy: bool(r.heavy),
    urgency: r.urgency as ErrandRecord['urgency'],
    vulnerable: bool(r.vulnerable),
    windowStart: numOrNull(r.window_start),
    windowEnd: numOrNull(r.window_end),
    notes: (r.notes as string | null) ?? null,
    status: r.status as ErrandStatus,
    helperId: numOrNull(r.helper_id),
    handoverCode: String(r.handover_code),
    version: num(r.version),
    dispatchRound: num(r.dispatch_round),
    ratingStars: numOrNull(r.rating_stars),
    ratingComment: (r.rating_comment as string | null) ?? null,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    acceptedAt: numOrNull(r.accepted_at),
    slaTier: r.sla_tier as ErrandRecord['slaTier'],
    dueAt: num(r.due_at),
    compoundName: String(r.compound_name),
    lockdown: r.lockdown as ErrandRecord['lockdown'],
    buildingName: String(r.building_name),
    hasLift: bool(r.has_lift),
    unit: String(r.unit),
    floor: num(r.floor),
    room: String(r.room),
    contactName: String(r.contact_name),
    contactPhone: String(r.contact_phone),
    helperName: (r.helper_name as string | null) ?? null,
    helperPhone: (r.helper_phone as string | null) ?? null,
    helperKind: (r.helper_kind as ErrandRecord['helperKind']) ?? null,
    dutyPhone: (r.duty_phone as string | null) ?? null,
  };
}

export async function findRecord(sql: Sql, publicId: string): Promise<ErrandRecord | undefined> {
  const r = await sql.one(`${RECORD_SELECT} WHERE e.public_id = ?`, [publicId]);
  return r ? toRecord(r) : undefined;
}

export async function requireRecord(sql: Sql, publicId: string): Promise<ErrandRecord> {
  const e = await findRecord(sql, publicId);
  if (!e) throw notFound('没有找到这个代办');
  return e;
}

export async function findRecords(sql: Sql, where: string, params: unknown[], orderAndLimit: string): Promise<ErrandRecord[]> {
  const rows = await sql.all(`${RECORD_SELECT} WHERE ${where} ${orderAndLimit}`, params);
  return rows.map(toRecord);
}

/** The record as a statement, to read it in the packet that changed it. */
export const recordStatement = (errandId: number): Statement => ({ sql: `${RECORD_SELECT} WHERE e.id = ?`, params: [errandId] });

/** The errand with what a helper's accept decides on. */
export interface AcceptRecord {
  errand: ErrandRecord;
  /** Open, unexpired offers of this errand the helper holds. */
  myOpenOffers: number;
  /** Offers of this errand the helper ever held. */
  myOffers: number;
  /** Errands the helper carries now. */
  myActive: number;
  /** null: no helper row. */
  myCapacity: number | null;
}

/** A column: how many open, unexpired offers of errand `e` one helper holds (parameters: helper id, now). */
const MY_OPEN_OFFERS =
  "(SELECT COUNT(*) FROM offers o WHERE o.errand_id = e.id AND o.helper_id = ? AND o.status = 'open' AND o.expires_at > ?)";

/** The accept's one read: the errand, whether the helper holds an offer for it, and their load against their capacity. */
export async function findAcceptRecord(sql: Sql, publicId: string, helperId: number, now: number): Promise<AcceptRecord | undefined> {
  const r = await sql.one(
    `SELECT ${RECORD_COLUMNS},
            ${MY_OPEN_OFFERS} AS my_open_offers,
            (SELECT COUNT(*) FROM offers o WHERE o.errand_id = e.id AND o.helper_id = ?) AS my_offers,
            (SELECT COUNT(*) FROM errands x WHERE x.helper_id = ? AND x.status IN (${ACTIVE_TASK_STATUSES.map(() => '?').join(', ')})) AS my_active,
            (SELECT capacity FROM helpers WHERE id = ?) AS my_capacity
       ${RECORD_FROM} WHERE e.public_id = ?`,
    [helperId, now, helperId, helperId, ...ACTIVE_TASK_STATUSES, helperId, publicId],
  );
  if (!r) return undefined;
  return {
    errand: toRecord(r),
    myOpenOffers: num(r.my_open_offers),
    myOffers: num(r.my_offers),
    myActive: num(r.my_active),
    myCapacity: numOrNull(r.my_capacity),
  };
}

/** The errand's version now, or null when it is gone. */
export async function errandVersion(sql: Sql, errandId: number): Promise<number | null> {
  const r = await sql.one('SELECT version FROM errands WHERE id = ?', [errandId]);
  return r ? num(r.version) : null;
}

/** Locks the errand row until the transaction ends (MySQL; SQLite has one writer anyway). */
export async function lockErrand(sql: Sql, id: number): Promise<{ status: ErrandStatus; version: number; handoverFailures: number }> {
  const r = await sql.one(`SELECT status, version, handover_failures FROM errands WHERE id = ?${sql.sqlDialect.forUpdate}`, [id]);
  if (!r) throw notFound('没有找到这个代办');
  return { status: r.status as ErrandStatus, version: num(r.version), handoverFailures: num(r.handover_failures) };
}

/** What toTimelineRow reads. */
const TIMELINE_COLUMNS = 'created_at, from_status, to_status, actor_role, actor_user_id, note';

/** The timeline as a statement, to read it in the packet that changed it. */
export const timelineStatement = (errandId: number): Statement => ({
  sql: `SELECT ${TIMELINE_COLUMNS} FROM errand_events WHERE errand_id = ? ORDER BY id`,
  params: [errandId],
});

export function toTimelineRow(r: Row): TimelineRow {
  return {
    at: num(r.created_at),
    from: (r.from_status as ErrandStatus | null) ?? null,
    to: r.to_status as ErrandStatus,
    actorRole: r.actor_role as Actor,
    actorUserId: numOrNull(r.actor_user_id),
    note: (r.note as string | null) ?? null,
  };
}

export async function timelineOf(sql: Sql, errandId: number): Promise<TimelineRow[]> {
  const s = timelineStatement(errandId);
  return (await sql.all(s.sql, s.params)).map(toTimelineRow);
}

/**
 * The errand as a reader sees it, in one round trip: its record, whether `helperId` holds an open
 * offer for it (which decides what an offered helper may see), and its timeline, all by public id,
 * sent as one read-only transaction (one snapshot) in one packet.
 */
export async function readRecordWithTimeline(
  db: Database,
  publicId: string,
  helperId: number | null,
  now: number,
): Promise<{ record: ErrandRecord; offered: boolean; timeline: TimelineRow[] } | undefined> {
  const offered = helperId === null ? { column: '0', params: [] } : { column: MY_OPEN_OFFERS, params: [helperId, now] };
  const [head, events] = await db.transaction(
    (tx) =>
      tx.batch(
        [
          {
            sql: `SELECT ${RECORD_COLUMNS}, ${offered.column} AS my_open_offers ${RECORD_FROM} WHERE e.public_id = ?`,
            params: [...offered.params, publicId],
          },
          {
            sql: `SELECT ${TIMELINE_COLUMNS} FROM errand_events WHERE errand_id = (SELECT id FROM errands WHERE public_id = ?) ORDER BY id`,
            params: [publicId],
          },
        ],
        { commit: true },
      ),
    { batched: true },
  );
  const r = head!.rows[0];
  if (!r) return undefined;
  return { record: toRecord(r), offered: num(r.my_open_offers) > 0, timeline: events!.rows.map(toTimelineRow) };
}

/** The internal id of an errand by its public id, or null. */
export async function errandIdOfPublicId(sql: Sql, publicId: string): Promise<number | null> {
  const r = await sql.one('SELECT id FROM errands WHERE public_id = ?', [publicId]);
  return r ? num(r.id) : null;
}

/** Public ids of these errands (by internal id; unknown ids are absent). */
export async function errandPublicIds(sql: Sql, errandIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(errandIds)];
  if (ids.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, public_id FROM errands WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return new Map(rows.map((r) => [num(r.id), String(r.public_id)]));
}

/** Errands per helper in any of `statuses` (helpers with none are absent). */
export async function errandCountsByHelper(
  sql: Sql,
  helperIds: readonly number[],
  statuses: readonly ErrandStatus[],
): Promise<Map<number, number>> {
  const ids = [...new Set(helperIds)];
  if (ids.length === 0 || statuses.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT helper_id, COUNT(*) AS n FROM errands
      WHERE helper_id IN (${ids.map(() => '?').join(', ')}) AND status IN (${statuses.map(() => '?').join(', ')})
      GROUP BY helper_id`,
    [...ids, ...statuses],
  );
  return new Map(rows.map((r) => [num(r.helper_id), num(r.n)]));
}

/** Open errands per community and status, for the oversight roll-up (one index range per community). */
export async function openErrandCounts(
  sql: Sql,
  communityIds: readonly number[],
  statuses: readonly ErrandStatus[],
): Promise<{ communityId: number; status: ErrandStatus; errands: number }[]> {
  if (communityIds.length === 0 || statuses.length === 0) return [];
  const rows = await sql.all(
    `SELECT community_id, status, COUNT(*) AS n FROM errands
      WHERE community_id IN (${communityIds.map(() => '?').join(', ')}) AND status IN (${statuses.map(() => '?').join(', ')})
      GROUP BY community_id, status`,
    [...communityIds, ...statuses],
  );
  return rows.map((r) => ({ communityId: num(r.community_id), status: r.status as ErrandStatus, errands: num(r.n) }));
}

/** How many errands of each household are open (households with none are absent from the map). */
export async function openErrandCountsOfHouseholds(sql: Sql, householdIds: readonly number[]): Promise<Map<number, number>> {
  if (householdIds.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT household_id, COUNT(*) AS n FROM errands
      WHERE household_id IN (${householdIds.map(() => '?').join(', ')}) AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})
      GROUP BY household_id`,
    [...householdIds, ...OPEN_STATUSES],
  );
  return new Map(rows.map((r) => [num(r.household_id), num(r.n)]));
}

/** What a subscribe message says about an errand (notifications/planner.ts), and where to ask for the rest. */
export interface ErrandMessageFacts {
  id: number;
  publicId: string;
  category: ErrandCategory;
  items: ErrandItem[];
  urgency: Urgency;
  compoundId: number;
  buildingId: number;
  householdId: number | null;
}

/** The errands of these ids (absent ones are left out), one read by primary key. */
export async function errandMessageFacts(sql: Sql, ids: number[]): Promise<Map<number, ErrandMessageFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.all(
    `SELECT id, public_id, category, items_json, urgency, compound_id, building_id, household_id
       FROM errands WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  return new Map(
    rows.map((r) => [
      num(r.id),
      {
        id: num(r.id),
        publicId: String(r.public_id),
        category: r.category as ErrandCategory,
        items: JSON.parse(String(r.items_json)) as ErrandItem[],
        urgency: r.urgency as Urgency,
        compoundId: num(r.compound_id),
        buildingId: num(r.building_id),
        householdId: numOrNull(r.household_id),
      },
    ]),
  );
}
