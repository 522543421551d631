import {
  maskPhone,
  type AuditAction,
  type AuditTargetType,
  type HouseholdChangeRequest,
  type HouseholdInput,
  type HouseholdView,
} from '@linli/contracts';
import { bool, num, numOrNull, type Database, type Sql } from '../../infra/db/database';
import { recordAudit, type AuditSnapshot } from '../audit/store';
import { conflict, notFound, unprocessable } from '../../errors';
import { requireStaff, type AuthUser } from '../auth/actor';
import { householdInputColumns, type CommunityService } from './service';

/**
 * What only staff change, each scoped to the community they serve: the duty phone, any
 * household's registered details, and the contact changes others proposed for a household.
 */
/** A household's registered details as the audit log keeps them: the phone masked, as staff lists show it. */
function householdSnapshot(h: Omit<HouseholdInput, 'phone'> & { phone: string }): AuditSnapshot {
  return { ...h, phone: maskPhone(h.phone) };
}

export class HouseholdRegistry {
  constructor(
    private readonly db: Database,
    private readonly community: CommunityService,
    private readonly now: () => number,
  ) {}

  async setDutyPhone(actor: AuthUser, dutyPhone: string): Promise<void> {
    const staff = requireStaff(actor);
    const communityId = staff.staffCommunityId;
    await this.db.transaction(async (tx) => {
      const before = await tx.one<{ duty_phone: unknown }>(`SELECT duty_phone FROM communities WHERE id = ?${tx.sqlDialect.forUpdate}`, [
        communityId,
      ]);
      await tx.run('UPDATE communities SET duty_phone = ? WHERE id = ?', [dutyPhone, communityId]);
      // The duty phone is an office line, published to residents: kept whole.
      await this.audit(tx, actor, communityId, 'community.duty_phone', 'community', communityId, {
        before: { dutyPhone: (before?.duty_phone as string | null) ?? null },
        after: { dutyPhone },
      });
    });
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
    await this.db.transaction(async (tx) => {
      const before = await tx.one<Record<string, unknown>>(
        `SELECT building_id, unit, floor, room, contact_name, phone, elderly_alone, disabled, post_treatment,
                chronic_medication, infants, pregnancy
           FROM households WHERE id = ? AND community_id = ?${tx.sqlDialect.forUpdate}`,
        [householdId, staff.staffCommunityId],
      );
      if (!before) throw notFound('没有找到这户');
      const fields = householdInputColumns(input);
      await tx.run(`UPDATE households SET building_id = ?, ${fields.map(([c]) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`, [
        building.id,
        ...fields.map(([, v]) => v),
        this.now(),
        householdId,
      ]);
      await this.audit(tx, actor, staff.staffCommunityId, 'household.edit', 'household', householdId, {
        before: householdSnapshot({
          buildingId: num(before.building_id),
          unit: String(before.unit),
          floor: num(before.floor),
          room: String(before.room),
          contactName: String(before.contact_name),
          phone: String(before.phone),
          elderlyAlone: bool(before.elderly_alone),
          disabled: bool(before.disabled),
          postTreatment: bool(before.post_treatment),
          chronicMedication: bool(before.chronic_medication),
          infants: bool(before.infants),
          pregnancy: bool(before.pregnancy),
        }),
        after: householdSnapshot({ ...input, buildingId: building.id }),
      });
    });
    const { location: _location, ...view } = (await this.community.household(householdId))!;
    return view;
  }

  private audit(
    tx: Sql,
    actor: AuthUser,
    communityId: number,
    action: AuditAction,
    targetType: AuditTargetType,
    targetId: number,
    change: { before: AuditSnapshot | null; after: AuditSnapshot | null },
  ): Promise<void> {
    return recordAudit(tx, {
      communityId,
      actorUserId: actor.userId,
      actorRole: 'staff',
      action,
      targetType,
      targetId,
      ...change,
      at: this.now(),
    });
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
      const current = await tx.one<{ contact_name: unknown; phone: unknown }>('SELECT contact_name, phone FROM households WHERE id = ?', [
        numOrNull(r.household_id),
      ]);
      if (approve) {
        await tx.run('UPDATE households SET contact_name = ?, phone = ?, updated_at = ? WHERE id = ? AND community_id = ?', [
          r.contact_name,
          r.phone,
          t,
          numOrNull(r.household_id),
          staff.staffCommunityId,
        ]);
      }
      const contact = (name: unknown, phone: unknown) => ({ contactName: String(name), phone: maskPhone(String(phone)) });
      await this.audit(tx, actor, staff.staffCommunityId, 'household.change_decision', 'household_change', requestId, {
        before: {
          status: 'pending',
          householdId: numOrNull(r.household_id),
          contact: current ? contact(current.contact_name, current.phone) : null,
        },
        after: {
          status: approve ? 'approved' : 'rejected',
          householdId: numOrNull(r.household_id),
          contact: approve ? contact(r.contact_name, r.phone) : current ? contact(current.contact_name, current.phone) : null,
          proposed: contact(r.contact_name, r.phone),
        },
      });
    });
  }
}
