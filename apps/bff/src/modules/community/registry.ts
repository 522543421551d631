import {
  maskPhone,
  type AuditAction,
  type AuditTargetType,
  type HouseholdChangeRequest,
  type HouseholdInput,
  type HouseholdView,
} from '@linli/contracts';
import type { Database, Sql } from '../../infra/db/database';
import { recordAudit, type AuditSnapshot } from '../audit/store';
import { conflict, notFound, unprocessable } from '../../errors';
import { requireStaff, type AuthUser } from '../auth/actor';
import type { CommunityService } from './service';
import { lockDutyPhone, setDutyPhone } from './store';
import { changeRequestOfCommunity, closeChangeRequest, pendingChangeRequests } from './change-request-store';
import {
  householdContact,
  householdInCommunity,
  lockHouseholdDetails,
  setHouseholdContact,
  updateHouseholdDetails,
} from './household-store';

/** A household's registered details as the audit log keeps them: the phone masked, as staff lists show it. */
function householdSnapshot(h: Omit<HouseholdInput, 'phone'> & { phone: string }): AuditSnapshot {
  return { ...h, phone: maskPhone(h.phone) };
}

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
    const communityId = staff.staffCommunityId;
    await this.db.transaction(async (tx) => {
      const before = await lockDutyPhone(tx, communityId);
      await setDutyPhone(tx, communityId, dutyPhone);
      // The duty phone is an office line, published to residents: kept whole.
      await this.audit(tx, actor, communityId, 'community.duty_phone', 'community', communityId, {
        before: { dutyPhone: before },
        after: { dutyPhone },
      });
    });
  }

  /** Staff correct a household of their community; it stays in that community. */
  async editHousehold(actor: AuthUser, householdId: number, input: HouseholdInput): Promise<HouseholdView> {
    const staff = requireStaff(actor);
    // The household's own scope first: another community's household is not there to this caller.
    if (!(await householdInCommunity(this.db, householdId, staff.staffCommunityId))) throw notFound('没有找到这户');
    const building = await this.community.building(input.buildingId);
    if (!building || building.communityId !== staff.staffCommunityId) {
      throw unprocessable('UNKNOWN_BUILDING', '没有找到这栋楼，请选择本社区的楼栋');
    }
    if (input.floor > building.floors) throw unprocessable('FLOOR_OUT_OF_RANGE', `这栋楼只有${building.floors}层，请检查楼层`);
    await this.db.transaction(async (tx) => {
      const before = await lockHouseholdDetails(tx, householdId, staff.staffCommunityId);
      if (!before) throw notFound('没有找到这户');
      await updateHouseholdDetails(tx, householdId, input, building.id, this.now());
      await this.audit(tx, actor, staff.staffCommunityId, 'household.edit', 'household', householdId, {
        before: householdSnapshot(before),
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
    return pendingChangeRequests(this.db, staff.staffCommunityId);
  }

  /** Approving writes the proposed contact into the registry; either way the request is closed once. */
  async decideChange(actor: AuthUser, requestId: number, approve: boolean): Promise<void> {
    const staff = requireStaff(actor);
    const t = this.now();
    await this.db.transaction(async (tx) => {
      const r = await changeRequestOfCommunity(tx, requestId, staff.staffCommunityId);
      if (!r) throw notFound('没有找到这条核实申请');
      if (!(await closeChangeRequest(tx, requestId, approve, actor.userId, t))) throw conflict('ALREADY_DECIDED', '这条申请已经处理过了');
      const current = r.householdId === null ? null : await householdContact(tx, r.householdId);
      if (approve && r.householdId !== null) await setHouseholdContact(tx, r.householdId, staff.staffCommunityId, r, t);
      const masked = (c: { contactName: string; phone: string }) => ({ contactName: c.contactName, phone: maskPhone(c.phone) });
      await this.audit(tx, actor, staff.staffCommunityId, 'household.change_decision', 'household_change', requestId, {
        before: { status: 'pending', householdId: r.householdId, contact: current ? masked(current) : null },
        after: {
          status: approve ? 'approved' : 'rejected',
          householdId: r.householdId,
          contact: approve ? masked(r) : current ? masked(current) : null,
          proposed: masked(r),
        },
      });
    });
  }
}
