import { LOCKDOWN_STATUSES, type CommunityContact, type HouseholdInput, type HouseholdView, type LockdownStatus } from '@linli/contracts';
import type { Database, Sql } from '../../infra/db/database';
import { forbidden, notFound, unprocessable } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { rerankCompound } from '../errands/rerank';
import { recordAudit } from '../audit/store';
import {
  allCommunities,
  buildingsById,
  communityContact,
  compoundsWithBuildings,
  lockCompoundLockdown,
  setCompoundLockdown,
  type BuildingPlace,
} from './store';
import {
  communityOfUserHousehold,
  householdAtDoor,
  householdById,
  householdOfUser,
  insertNeighbourHousehold,
  upsertOwnHousehold,
  type HouseholdWithLocation,
} from './household-store';
import { insertChangeRequest } from './change-request-store';
import { communityOfHousehold as communityOfHouseholdRow } from './household-read-store';
import type { PrincipalCache } from '../auth/principal-cache';

export type BuildingRow = Omit<BuildingPlace, 'name'>;

const withoutLocation = ({ location: _location, ...view }: HouseholdWithLocation): HouseholdView => view;

/** Communities, compounds, buildings and households: where errands go. */
export class CommunityService {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly principals: PrincipalCache,
  ) {}

  async building(id: number, sql: Sql = this.db): Promise<BuildingRow | undefined> {
    const b = (await buildingsById(sql, [id])).get(id);
    if (!b) return undefined;
    const { name: _name, ...row } = b;
    return row;
  }

  async householdOfUser(userId: number): Promise<HouseholdView | null> {
    const h = await householdOfUser(this.db, userId);
    return h ? withoutLocation(h) : null;
  }

  /** A household with its building's position (for dispatch; not part of the public view). */
  async household(id: number, sql: Sql = this.db): Promise<HouseholdWithLocation | null> {
    return householdById(sql, id);
  }

  /**
   * A resident registers (or corrects) their own household, and only their own: one upsert on the
   * unique user_id, so first registrations arriving together neither deadlock (an UPDATE that finds
   * nothing gap-locks the index before its INSERT) nor make two rows.
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
    const home = (await communityOfUserHousehold(this.db, actor.userId)) ?? actor.helperCommunityId ?? null;
    if (home !== null && building.communityId !== home) {
      throw forbidden('住址只能在本社区内修改；搬到其他社区，请联系新社区的工作人员登记', 'OTHER_COMMUNITY');
    }
    await upsertOwnHousehold(this.db, actor.userId, input, building, this.now());
    // The caller's next request (its first errand) must know its household.
    this.principals.changed({ kind: 'users', userIds: [actor.userId] });
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
    const existing = await householdAtDoor(tx, { buildingId: building.id, unit: input.unit, room: input.room });
    if (existing) {
      const contactMismatch = existing.contactName !== input.contactName || existing.phone !== input.phone;
      if (contactMismatch) {
        await insertChangeRequest(tx, {
          communityId: building.communityId,
          householdId: existing.id,
          requestedBy,
          contactName: input.contactName,
          phone: input.phone,
          at: t,
        });
      }
      return { householdId: existing.id, contactMismatch };
    }
    return { householdId: await insertNeighbourHousehold(tx, input, building, t), contactMismatch: false };
  }

  /** The community of a household (the scope a resident acts in), or null. */
  async communityOfHousehold(householdId: number | null, sql: Sql = this.db): Promise<number | null> {
    if (householdId === null) return null;
    return communityOfHouseholdRow(sql, householdId);
  }

  /** A community's name and duty phone. */
  async contact(communityId: number | null): Promise<CommunityContact | null> {
    return communityId === null ? null : communityContact(this.db, communityId);
  }

  listCompounds(communityId: number) {
    return compoundsWithBuildings(this.db, communityId);
  }

  listCommunities() {
    return allCommunities(this.db);
  }

  /** Staff mark a compound of their community closed, controlled or normal. */
  async setLockdown(actor: AuthUser, compoundId: number, lockdown: LockdownStatus, reason?: string): Promise<void> {
    if (!actor.roles.includes('staff') || actor.staffCommunityId === null) throw forbidden();
    if (!LOCKDOWN_STATUSES.includes(lockdown)) throw unprocessable('BAD_LOCKDOWN', '封控状态不正确');
    const communityId = actor.staffCommunityId;
    const t = this.now();
    await this.db.transaction(async (tx) => {
      const before = await lockCompoundLockdown(tx, compoundId, communityId);
      if (!before) throw notFound('没有找到这个小区');
      // Already so (a second tap, another desk first): nothing changed, so nothing to audit.
      if (before === lockdown) return;
      await setCompoundLockdown(tx, compoundId, lockdown, t);
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
        before: { lockdown: before },
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
