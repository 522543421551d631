import type { LockdownStatus } from '@linli/contracts';
import { bool, num, type Row, type Statement } from '../../infra/db/database';

// Statement builders for the create path: the errands module sends them in its first packet with
// its own reads, so the SQL naming households, buildings, compounds and communities stays here.

/** What a new errand copies from its household, its building and its community, read in one statement. */
export interface ErrandHousehold {
  id: number;
  communityId: number;
  compoundId: number;
  compoundName: string;
  compoundLockdown: LockdownStatus;
  buildingId: number;
  buildingName: string;
  hasLift: boolean;
  unit: string;
  floor: number;
  room: string;
  contactName: string;
  phone: string;
  elderlyAlone: boolean;
  disabled: boolean;
  postTreatment: boolean;
  chronicMedication: boolean;
  infants: boolean;
  pregnancy: boolean;
  location: { lat: number; lng: number };
  dutyPhone: string | null;
}

/**
 * Locks the household row until the transaction ends (MySQL), so creates for one household count
 * its open errands one after another. Only this row: a lock taken through the join below would
 * also lock the building and compound rows every household of them shares.
 */
export const lockHouseholdStatement = (householdId: number): Statement => ({
  sql: 'SELECT id FROM households WHERE id = ? FOR UPDATE',
  params: [householdId],
});

export const errandHouseholdStatement = (householdId: number): Statement => ({
  sql: `SELECT h.id, h.community_id, b.compound_id, cp.name AS compound_name, cp.lockdown, h.building_id, b.name AS building_name,
               b.has_lift, h.unit, h.floor, h.room, h.contact_name, h.phone, h.elderly_alone, h.disabled, h.post_treatment,
               h.chronic_medication, h.infants, h.pregnancy, b.lat, b.lng, c.duty_phone
          FROM households h
          JOIN buildings b ON b.id = h.building_id
          JOIN compounds cp ON cp.id = b.compound_id
          JOIN communities c ON c.id = h.community_id
         WHERE h.id = ?`,
  params: [householdId],
});

export function toErrandHousehold(r: Row): ErrandHousehold {
  return {
    id: num(r.id),
    communityId: num(r.community_id),
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
    dutyPhone: (r.duty_phone as string | null) ?? null,
  };
}
