import type { HouseholdChangeRequest, HouseholdInput, HouseholdView } from '@linli/contracts';
import { num, numOrNull, type Database } from '../../infra/db/database';
import { conflict, notFound, unprocessable } from '../../errors';
import { requireStaff, type AuthUser } from '../auth/actor';
import type { CommunityService } from './service';

/**
 * What only staff change, each scoped to the community they serve: the duty phone, any
 * household's registered details, and the contact changes others proposed for a household.
 */
export class HouseholdRegistry {
  constructor(
    private readonly db: Database,
    private readonly community: CommunityService,
    private readonly now: () => number,
  ) {}

  async setDutyPhone(actor: AuthUser, dutyPhone: string): Promise<void> {
    const staff = requireStaff(actor);
    await this.db.run('UPDATE communities SET duty_phone = ? WHERE id = ?', [dutyPhone, staff.staffCommunityId]);
  }

  /** Staff correct a household of their community; it stays in that community. */
  async editHousehold(actor: AuthUser, householdId: number, input: HouseholdInput): Promise<HouseholdView> {
    const staff = requireStaff(actor);
    // The household's own scope first: another community's household is not there to this caller.
    const served = await this.db.one('SELECT id FROM households WHERE id = ? AND community_id = ?', [householdId, staff.staffCommunityId]);
    if (!served) throw notFound('没有找到这户');
    const building = await this.community.building(input.buildingId);
    if (!building || building.communityId !== staff.staffCommunityId) {
      throw unprocessable('UNKNOWN_BUILDING', '没有找到这栋楼，请选择本社区的楼栋');
    }
    if (input.floor > building.floors) throw unprocessable('FLOOR_OUT_OF_RANGE', `这栋楼只有${building.floors}层，请检查楼层`);
    const res = await this.db.run(
      `UPDATE households SET building_id = ?, unit = ?, floor = ?, room = ?, contact_name = ?, phone = ?, elderly_alone = ?,
              disabled = ?, post_treatment = ?, chronic_medication = ?, infants = ?, pregnancy = ?, updated_at = ? WHERE id = ? AND community_id = ?`,
      [
        building.id,
        input.unit,
        input.floor,
        input.room,
        input.contactName,
        input.phone,
        input.elderlyAlone,
        input.disabled,
        input.postTreatment,
        input.chronicMedication,
        input.infants,
        input.pregnancy,
        this.now(),
        householdId,
        staff.staffCommunityId,
      ],
    );
    if (res.affectedRows === 0) throw notFound('没有找到这户');
    const { location: _location, ...view } = (await this.community.household(householdId))!;
    return view;
  }

  async pendingChanges(actor: AuthUser): Promise<HouseholdChangeRequest[]> {
    const staff = requireStaff(actor);
    const rows = await this.db.all(
      `SELECT r.id, r.household_id, r.requested_by, r.contact_name, r.phone, r.status, r.created_at,
              h.contact_name AS current_name, h.phone AS current_phone
         FROM household_change_requests r JOIN households h ON h.id = r.household_id
        WHERE r.community_id = ? AND r.status = 'pending'
        ORDER BY r.id LIMIT 200`,
      [staff.staffCommunityId],
    );
    return rows.map((r) => ({
      id: num(r.id),
      householdId: num(r.household_id),
      current: { contactName: String(r.current_name), phone: String(r.current_phone) },
      proposed: { contactName: String(r.contact_name), phone: String(r.phone) },
      requestedBy: num(r.requested_by),
      status: r.status as HouseholdChangeRequest['status'],
      createdAt: new Date(num(r.created_at)).toISOString(),
    }));
  }

  /** Approving writes the proposed contact into the registry; either way the request is closed once. */
  async decideChange(actor: AuthUser, requestId: number, approve: boolean): Promise<void> {
    const staff = requireStaff(actor);
    const t = this.now();
    await this.db.transaction(async (tx) => {
      const r = await tx.one(
        'SELECT household_id, contact_name, phone, status FROM household_change_requests WHERE id = ? AND community_id = ?',
        [requestId, staff.staffCommunityId],
      );
      if (!r) throw notFound('没有找到这条核实申请');
      const closed = await tx.run(
        "UPDATE household_change_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'",
        [approve ? 'approved' : 'rejected', t, actor.userId, requestId],
      );
      if (closed.affectedRows !== 1) throw conflict('ALREADY_DECIDED', '这条申请已经处理过了');
      if (approve) {
        await tx.run('UPDATE households SET contact_name = ?, phone = ?, updated_at = ? WHERE id = ? AND community_id = ?', [
          r.contact_name,
          r.phone,
          t,
          numOrNull(r.household_id),
          staff.staffCommunityId,
        ]);
      }
    });
  }
}
