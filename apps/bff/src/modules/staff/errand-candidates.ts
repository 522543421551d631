import { ACTIVE_TASK_STATUSES, type AssignCandidate, type AssignCandidateList } from '@linli/contracts';
import { bool, num, numOrNull, type Database } from '../../infra/db/database';
import { notFound } from '../../errors';
import { requireStaff, type AuthUser } from '../auth/actor';
import { distanceMeters } from '../dispatch/domain';

/** Enough for a community's verified helpers; the desk picks from the top of the list. */
const CANDIDATE_LIMIT = 100;

/**
 * The order the desk sees: in-zone first, then on duty, then those with a free slot, then the
 * nearest; the current helper (a reassignment) is listed but last. Pure, for tests.
 */
export function compareCandidates(a: AssignCandidate, b: AssignCandidate): number {
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
    const errand = await this.db.one(
      `SELECT e.community_id, e.building_id, e.helper_id, e.heavy, b.lat, b.lng
         FROM errands e JOIN buildings b ON b.id = e.building_id WHERE e.public_id = ?`,
      [publicId],
    );
    // Another community's errand answers like a missing one: its existence is not the desk's business.
    if (!errand || num(errand.community_id) !== staff.staffCommunityId) throw notFound('找不到这个代办，请刷新值班台');
    const at = { lat: Number(errand.lat), lng: Number(errand.lng) };
    const currentHelper = numOrNull(errand.helper_id);
    const active = ACTIVE_TASK_STATUSES.map(() => '?').join(', ');
    const rows = await this.db.all(
      `SELECT h.id, u.name, h.on_duty, h.capacity, h.can_carry_heavy, h.lat, h.lng,
              EXISTS (SELECT 1 FROM helper_zones z WHERE z.helper_id = h.id AND z.building_id = ?) AS in_zone,
              (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.status IN (${active})) AS load_now
         FROM helpers h JOIN users u ON u.id = h.user_id
        WHERE h.community_id = ? AND h.verified = ?
        ORDER BY h.id LIMIT ${CANDIDATE_LIMIT}`,
      [num(errand.building_id), ...ACTIVE_TASK_STATUSES, staff.staffCommunityId, true],
    );
    const items = rows.map((r): AssignCandidate => ({
      helperId: num(r.id),
      name: String(r.name),
      inZone: bool(r.in_zone),
      distanceM: r.lat === null ? null : Math.round(distanceMeters(at, { lat: Number(r.lat), lng: Number(r.lng) })),
      load: num(r.load_now),
      capacity: num(r.capacity),
      canCarryHeavy: bool(r.can_carry_heavy),
      onDuty: bool(r.on_duty),
      current: num(r.id) === currentHelper,
    }));
    return { heavy: bool(errand.heavy), items: items.sort(compareCandidates) };
  }
}
