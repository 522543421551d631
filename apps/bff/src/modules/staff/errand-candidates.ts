import { ACTIVE_TASK_STATUSES, type AssignCandidate, type AssignCandidateList } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { notFound } from '../../errors';
import { requireStaff, type AuthUser } from '../auth/actor';
import { distanceMeters } from '../dispatch/domain';
import { assignableHelpers } from '../helpers/store';
import { userContacts } from '../auth/store';
import { errandCountsByHelper, findRecord } from '../errands/store';
import { buildingsById } from '../community/store';

/** Enough for a community's verified helpers; the desk picks from the top of the list. */
const CANDIDATE_LIMIT = 100;

/**
 * The order the desk sees: in-zone first, then on duty, then those with a free slot, then the
 * nearest; the current helper (a reassignment) is listed but last. Pure, for tests.
 */
function compareCandidates(a: AssignCandidate, b: AssignCandidate): number {
  const free = (c: AssignCandidate) => c.load < c.capacity;
  return (
    Number(a.current) - Number(b.current) ||
    Number(b.inZone) - Number(a.inZone) ||
    Number(b.onDuty) - Number(a.onDuty) ||
    Number(free(b)) - Number(free(a)) ||
    (a.distanceM ?? Number.MAX_SAFE_INTEGER) - (b.distanceM ?? Number.MAX_SAFE_INTEGER) ||
    a.load - b.load ||
    a.helperId - b.helperId
  );
}

/**
 * Whom the desk may hand an errand to by hand: every verified helper of its community with what
 * the choice weighs (zone, distance, load, whether they can carry heavy goods, on duty), not only
 * those automatic dispatch would offer it to.
 */
export class ErrandCandidates {
  constructor(private readonly db: Database) {}

  async list(actor: AuthUser, publicId: string): Promise<AssignCandidateList> {
    const staff = requireStaff(actor);
    const errand = await findRecord(this.db, publicId);
    // Another community's errand answers like a missing one: its existence is not the desk's business.
    if (!errand || errand.communityId !== staff.staffCommunityId) throw notFound('找不到这个代办，请刷新值班台');
    const building = (await buildingsById(this.db, [errand.buildingId])).get(errand.buildingId)!;
    const at = { lat: building.lat, lng: building.lng };
    const currentHelper = errand.helperId;
    // Helpers, their names and their loads come from their owners: indexed reads, on a staff click (not a hot path).
    const helpers = await assignableHelpers(this.db, staff.staffCommunityId, errand.buildingId, CANDIDATE_LIMIT);
    const ids = helpers.map((h) => h.helperId);
    const names = await userContacts(
      this.db,
      helpers.map((h) => h.userId),
    );
    const loads = await errandCountsByHelper(this.db, ids, ACTIVE_TASK_STATUSES);
    const items = helpers.map((h): AssignCandidate => ({
      helperId: h.helperId,
      name: names.get(h.userId)?.name ?? '',
      inZone: h.inZone,
      distanceM: h.position === null ? null : Math.round(distanceMeters(at, h.position)),
      load: loads.get(h.helperId) ?? 0,
      capacity: h.capacity,
      canCarryHeavy: h.canCarryHeavy,
      onDuty: h.onDuty,
      current: h.helperId === currentHelper,
    }));
    return { heavy: errand.heavy, items: items.sort(compareCandidates) };
  }
}
