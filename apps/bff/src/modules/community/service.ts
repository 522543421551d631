import { LOCKDOWN_STATUSES, type CommunityContact, type HouseholdInput, type HouseholdView, type LockdownStatus } from '@linli/contracts';
import { bool, num, type Database, type Sql } from '../../infra/db/database';
import { forbidden, notFound, unprocessable } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { rerankCompound } from '../staff/store';
import { recordAudit } from '../audit/store';

/**
 * The household columns a HouseholdInput writes, in one order: registration's upsert and staff
 * edits (registry.ts) both build their statements from it, so a new flag is added once.
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

export interface BuildingRow {
  id: number;
  communityId: number;
  compoundId: number;
  floors: number;
  hasLift: boolean;
  lat: number;
  lng: number;
}

const HOUSEHOLD_SELECT = `
  SELECT h.id, h.community_id, c.name AS community_name, b.compound_id, cp.name AS compound_name,
         cp.lockdown, h.building_id, b.name AS building_name, b.has_lift, h.unit, h.floor, h.room,
         h.contact_name, h.phone, h.elderly_alone, h.disabled, h.post_treatment, h.chronic_medication, h.infants, h.pregnancy, b.lat, b.lng
    FROM households h
    JOIN buildings b ON b.id = h.building_id
    JOIN compounds cp ON cp.id = b.compound_id
    JOIN communities c ON c.id = h.community_id`;

function toHouseholdView(r: Record<string, unknown>): HouseholdView {
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
  };
}

/** Communities, compounds, buildings and households: where errands go. */
export class CommunityService {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  async building(id: number, sql: Sql = this.db): Promise<BuildingRow | undefined> {
    const r = await sql.one('SELECT id, community_id, compound_id, floors, has_lift, lat, lng FROM buildings WHERE id = ?', [id]);
    if (!r) return undefined;
    return {
      id: num(r.id),
      communityId: num(r.community_id),
      compoundId: num(r.compound_id),
      floors: num(r.floors),
      hasLift: bool(r.has_lift),
      lat: Number(r.lat),
      lng: Number(r.lng),
    };
  }

  async householdOfUser(userId: number): Promise<HouseholdView | null> {
    const r = await this.db.one(`${HOUSEHOLD_SELECT} WHERE h.user_id = ?`, [userId]);
    return r ? toHouseholdView(r) : null;
  }

  /** A household with its building's position (for dispatch; not part of the public view). */
  async household(id: number, sql: Sql = this.db): Promise<(HouseholdView & { location: { lat: number; lng: number } }) | null> {
    const r = await sql.one(`${HOUSEHOLD_SELECT} WHERE h.id = ?`, [id]);
    return r ? { ...toHouseholdView(r), location: { lat: Number(r.lat), lng: Number(r.lng) } } : null;
  }

  /**
   * A resident registers (or corrects) their own household: one upsert on the unique user_id, so
   * first registrations arriving together neither deadlock (an UPDATE that found nothing used to
   * gap-lock the index before its INSERT) nor make two rows.
   * A resident registers (or corrects) their own household, and only their own.
   *
   * The rule: a first registration may pick a building of any served community (the form asks for
   * the community first), except that a helper registers where they serve. Once registered, the
   * household stays in its community: corrections (unit, floor, room, contact) are the resident's,
   * but moving to another community is done by that community's staff, who can check the person
   * really lives there. Nobody edits another person's household here (see HouseholdRegistry for
   * staff edits); neighbours' households are never overwritten (householdForNeighbour).
   */
  async registerHousehold(actor: AuthUser, input: HouseholdInput): Promise<HouseholdView> {
    const building = await this.requireFloorInBuilding(input);
    const current = await this.db.one<{ community_id: unknown }>('SELECT community_id FROM households WHERE user_id = ?', [actor.userId]);
    const home = current ? num(current.community_id) : (actor.helperCommunityId ?? null);
    if (home !== null && building.communityId !== home) {
      throw forbidden('住址只能在本社区内修改；搬到其他社区，请联系新社区的工作人员登记', 'OTHER_COMMUNITY');
    }
    const t = this.now();
    const fields = householdInputColumns(input);
    const columns = [...fields.map(([c]) => c), 'building_id', 'community_id'];
    const values = [...fields.map(([, v]) => v), building.id, building.communityId];
    const onConflict =
      this.db.dialect === 'mysql'
        ? `ON DUPLICATE KEY UPDATE ${[...columns, 'updated_at'].map((c) => `${c} = VALUES(${c})`).join(', ')}`
        : `ON CONFLICT (user_id) DO UPDATE SET ${[...columns, 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', ')}`;
    await this.db.run(
      `INSERT INTO households (${columns.join(', ')}, user_id, created_at, updated_at)
       VALUES (${columns.map(() => '?').join(', ')}, ?, ?, ?) ${onConflict}`,
      [...values, actor.userId, t, t],
    );
    return (await this.householdOfUser(actor.userId))!;
  }

  /**
   * The household of a neighbour someone submits for (an elderly resident without a phone, a
   * family member, a phone-in), within `communityId` only: the caller's own community, decided by
   * the errand service. An existing household at the same door (registered by its resident or
   * typed in before) is reused as it is: its contact name and phone are never overwritten from
   * here. Details that differ become a change request for the community's staff.
   */
  async householdForNeighbour(
    tx: Sql,
    requestedBy: number,
    communityId: number,
    input: HouseholdInput,
  ): Promise<{ householdId: number; contactMismatch: boolean }> {
    const building = await this.requireFloorInBuilding(input, tx);
    if (building.communityId !== communityId) throw forbidden('只能为本社区的居民代为下单', 'OTHER_COMMUNITY');
    const t = this.now();
    // A door may hold a registered household and older typed-in ones: the registered one is the truth.
    const existing = await tx.one<{ id: unknown; contact_name: unknown; phone: unknown }>(
      `SELECT id, contact_name, phone FROM households WHERE building_id = ? AND unit = ? AND room = ?
        ORDER BY CASE WHEN user_id IS NULL THEN 1 ELSE 0 END, id LIMIT 1`,
      [building.id, input.unit, input.room],
    );
    if (existing) {
      const householdId = num(existing.id);
      const contactMismatch = String(existing.contact_name) !== input.contactName || String(existing.phone) !== input.phone;
      if (contactMismatch) {
        await tx.run(
          `INSERT INTO household_change_requests (community_id, household_id, requested_by, contact_name, phone, status, created_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
          [building.communityId, householdId, requestedBy, input.contactName, input.phone, t],
        );
      }
      return { householdId, contactMismatch };
    }
    const res = await tx.run(
      `INSERT INTO households (floor, contact_name, phone, elderly_alone, disabled, post_treatment, chronic_medication, infants, pregnancy,
                               building_id, community_id, unit, room, user_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      [
        input.floor,
        input.contactName,
        input.phone,
        input.elderlyAlone,
        input.disabled,
        input.postTreatment,
        input.chronicMedication,
        input.infants,
        input.pregnancy,
        building.id,
        building.communityId,
        input.unit,
        input.room,
        t,
        t,
      ],
    );
    return { householdId: res.insertId, contactMismatch: false };
  }

  /** The community of a household (the scope a resident acts in), or null. */
  async communityOfHousehold(householdId: number | null, sql: Sql = this.db): Promise<number | null> {
    if (householdId === null) return null;
    const r = await sql.one<{ community_id: unknown }>('SELECT community_id FROM households WHERE id = ?', [householdId]);
    return r ? num(r.community_id) : null;
  }

  /** A community's name and duty phone. */
  async contact(communityId: number | null): Promise<CommunityContact | null> {
    if (communityId === null) return null;
    const r = await this.db.one('SELECT id, name, duty_phone FROM communities WHERE id = ?', [communityId]);
    return r ? { id: num(r.id), name: String(r.name), dutyPhone: (r.duty_phone as string | null) ?? null } : null;
  }

  async listCompounds(communityId: number) {
    const compounds = await this.db.all('SELECT id, name, lockdown FROM compounds WHERE community_id = ? ORDER BY id', [communityId]);
    const buildings = await this.db.all(
      'SELECT id, compound_id, name, floors, has_lift FROM buildings WHERE community_id = ? ORDER BY id',
      [communityId],
    );
    return compounds.map((c) => ({
      id: num(c.id),
      name: String(c.name),
      lockdown: c.lockdown as LockdownStatus,
      buildings: buildings
        .filter((b) => num(b.compound_id) === num(c.id))
        .map((b) => ({ id: num(b.id), name: String(b.name), floors: num(b.floors), hasLift: bool(b.has_lift) })),
    }));
  }

  async listCommunities() {
    const rows = await this.db.all('SELECT id, name, street, district FROM communities ORDER BY id');
    return rows.map((r) => ({ id: num(r.id), name: String(r.name), street: String(r.street), district: String(r.district) }));
  }

  /** Staff mark a compound of their community closed, controlled or normal. */
  async setLockdown(actor: AuthUser, compoundId: number, lockdown: LockdownStatus, reason?: string): Promise<void> {
    if (!actor.roles.includes('staff') || actor.staffCommunityId === null) throw forbidden();
    if (!LOCKDOWN_STATUSES.includes(lockdown)) throw unprocessable('BAD_LOCKDOWN', '封控状态不正确');
    const communityId = actor.staffCommunityId;
    const t = this.now();
    await this.db.transaction(async (tx) => {
      const before = await tx.one<{ lockdown: unknown }>(
        `SELECT lockdown FROM compounds WHERE id = ? AND community_id = ?${tx.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
        [compoundId, communityId],
      );
      if (!before) throw notFound('没有找到这个小区');
      await tx.run('UPDATE compounds SET lockdown = ?, updated_at = ? WHERE id = ?', [lockdown, t, compoundId]);
      // Closing a compound moves its open errands up the staff queue at once.
      await rerankCompound(tx, communityId, compoundId, lockdown);
      await recordAudit(tx, {
        communityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'compound.lockdown',
        targetType: 'compound',
        targetId: compoundId,
        reason,
        before: { lockdown: String(before.lockdown) },
        after: { lockdown },
        at: t,
      });
    });
  }

  private async requireFloorInBuilding(input: HouseholdInput, sql: Sql = this.db): Promise<BuildingRow> {
    const building = await this.building(input.buildingId, sql);
    if (!building) throw unprocessable('UNKNOWN_BUILDING', '没有找到这栋楼，请重新选择');
    if (input.floor > building.floors) {
      throw unprocessable('FLOOR_OUT_OF_RANGE', `这栋楼只有${building.floors}层，请检查楼层`);
    }
    return building;
  }
}
