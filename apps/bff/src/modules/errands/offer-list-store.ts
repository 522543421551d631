import type { ErrandCategory, ErrandItem, LockdownStatus, Urgency } from '@linli/contracts';
import { bool, num, numOrNull, type Sql } from '../../infra/db/database';
import type { Point } from '../dispatch/domain';

// A helper's polled list of open offers: where the helper is, and the errands offered to them
// with their place (read-only exceptions: helpers, offers and the places, see table-ownership.ts).

/** Where a helper's distances are measured from. */
export interface OfferOrigin {
  /** Their reported position, or their home building's when they reported none (null: neither). */
  position: Point | null;
  /** Their home building's position (null: no home building). */
  home: Point | null;
  /** Whether `position` was reported by the helper (else it is the home building's). */
  positionReported: boolean;
}

export async function offerOrigin(sql: Sql, helperId: number): Promise<OfferOrigin | null> {
  const r = await sql.one(
    `SELECT h.lat, h.lng, h.position_at, b.lat AS home_lat, b.lng AS home_lng
       FROM helpers h LEFT JOIN buildings b ON b.id = h.home_building_id WHERE h.id = ?`,
    [helperId],
  );
  if (!r) return null;
  return {
    position: r.lat === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    home: r.home_lat === null ? null : { lat: Number(r.home_lat), lng: Number(r.home_lng) },
    positionReported: r.position_at != null,
  };
}

/** An open offer as the helper's list shows it: what, where in the compound, never the address. */
export interface OpenOffer {
  expiresAt: number;
  publicId: string;
  category: ErrandCategory;
  items: ErrandItem[];
  heavy: boolean;
  urgency: Urgency;
  windowStart: number | null;
  windowEnd: number | null;
  communityId: number;
  compoundName: string;
  lockdown: LockdownStatus;
  buildingName: string;
  hasLift: boolean;
  location: Point;
  floor: number;
}

/** The helper's open, unexpired offers of errands still offered: urgent first, then oldest; at most 50. */
export async function openOffersOfHelper(sql: Sql, helperId: number, now: number): Promise<OpenOffer[]> {
  const rows = await sql.all(
    `SELECT o.expires_at, e.public_id, e.category, e.items_json, e.heavy, e.urgency, e.window_start, e.window_end, e.community_id,
            cp.name AS compound_name, cp.lockdown, b.name AS building_name, b.has_lift, b.lat, b.lng, hh.floor
       FROM offers o
       JOIN errands e ON e.id = o.errand_id
       JOIN buildings b ON b.id = e.building_id
       JOIN compounds cp ON cp.id = e.compound_id
       JOIN households hh ON hh.id = e.household_id
      WHERE o.helper_id = ? AND o.status = 'open' AND o.expires_at > ? AND e.status = 'offered'
      ORDER BY CASE WHEN e.urgency = 'urgent' THEN 0 ELSE 1 END, o.created_at
      LIMIT 50`,
    [helperId, now],
  );
  return rows.map((r) => ({
    expiresAt: num(r.expires_at),
    publicId: String(r.public_id),
    category: r.category as ErrandCategory,
    items: JSON.parse(String(r.items_json)) as ErrandItem[],
    heavy: bool(r.heavy),
    urgency: r.urgency as Urgency,
    windowStart: numOrNull(r.window_start),
    windowEnd: numOrNull(r.window_end),
    communityId: num(r.community_id),
    compoundName: String(r.compound_name),
    lockdown: r.lockdown as LockdownStatus,
    buildingName: String(r.building_name),
    hasLift: bool(r.has_lift),
    location: { lat: Number(r.lat), lng: Number(r.lng) },
    floor: num(r.floor),
  }));
}
