import { type HouseholdInput, type HouseholdMatch, type HouseholdView } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { notFound } from '../../errors';
import { requireStaff, type AuthUser } from '../auth/actor';
import { recordAudit } from '../audit/store';
import type { CommunityService } from './service';
import { openErrandCountsOfHouseholds } from '../errands/store';
import { householdIdsMatching } from './household-list-store';

/** At most this many matches: the desk narrows the search rather than scrolls a long list. */
const MATCH_LIMIT = 20;

export type HouseholdQuery =
  | { kind: 'door'; buildingNames: string[]; unit: string | null; room: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'phoneTail'; digits: string }
  | { kind: 'name'; text: string };

/**
 * What the desk typed into the one search box: a door 楼-单元-室 (3-2-301, or 3-301 without the
 * unit), a full mobile number, its last 4 digits, or part of a name. Pure, for tests.
 */
export function parseHouseholdQuery(raw: string): HouseholdQuery {
  const q = raw.trim().replace(/[—－–]/g, '-');
  const door = /^(\S+?)(?:号楼|栋|幢)?-(\S+?)(?:单元)?(?:-(\S+?))?(?:室)?$/.exec(q);
  if (door) {
    const building = door[1]!;
    const [unit, room] = door[3] === undefined ? [null, door[2]!] : [door[2]!, door[3]];
    return { kind: 'door', buildingNames: [building, `${building}号楼`, `${building}栋`, `${building}幢`], unit, room };
  }
  if (/^1\d{10}$/.test(q)) return { kind: 'phone', phone: q };
  if (/^\d{4}$/.test(q)) return { kind: 'phoneTail', digits: q };
  return { kind: 'name', text: q };
}

/** The hotline desk's household look-up and inline registration, within the staff's community. */
export class HouseholdSearch {
  constructor(
    private readonly db: Database,
    private readonly community: CommunityService,
    private readonly now: () => number,
  ) {}

  async search(actor: AuthUser, raw: string): Promise<HouseholdMatch[]> {
    const staff = requireStaff(actor);
    const ids = await householdIdsMatching(this.db, staff.staffCommunityId, parseHouseholdQuery(raw), MATCH_LIMIT);
    // Open errands are the errands module's: one grouped count for the (at most MATCH_LIMIT) matches.
    const openCounts = await openErrandCountsOfHouseholds(this.db, ids);
    const matches: HouseholdMatch[] = [];
    // At most MATCH_LIMIT look-ups, through the community service's one household view.
    for (const id of ids) {
      const view = await this.community.household(id);
      if (view) {
        const { location: _location, ...household } = view;
        matches.push({ ...household, openErrands: openCounts.get(id) ?? 0 });
      }
    }
    return matches;
  }

  /**
   * Registers a caller's household (or finds the one already at that door: its contact is never
   * overwritten, a difference becomes a change request), audited as the staff member's action.
   */
  async register(actor: AuthUser, input: HouseholdInput): Promise<HouseholdView> {
    const staff = requireStaff(actor);
    const householdId = await this.db.transaction(async (tx) => {
      const { householdId, contactMismatch } = await this.community.householdForNeighbour(tx, staff.userId, staff.staffCommunityId, input);
      await recordAudit(tx, {
        communityId: staff.staffCommunityId,
        actorUserId: staff.userId,
        actorRole: 'staff',
        action: 'household.register',
        targetType: 'household',
        targetId: householdId,
        reason: contactMismatch ? '电话登记：联系人与已有登记不一致，已提交核实' : '电话登记',
        after: { ...input },
        at: this.now(),
      });
      return householdId;
    });
    const view = await this.community.household(householdId);
    if (!view) throw notFound('找不到刚登记的住户，请刷新后重试');
    const { location: _location, ...household } = view;
    return household;
  }
}
