import { ACTIVE_TASK_STATUSES } from '@linli/contracts';
import { bool, num, numOrNull, type Sql } from '../../infra/db/database';
import {
  distanceMeters,
  hoursOnDutyToday,
  rankCandidates,
  type CandidateFacts,
  type ErrandNeeds,
  type Point,
  type RankedCandidate,
  type ScoreWeights,
} from './domain';
import type { GeoIndex } from './geo-index';

export interface ErrandToMatch {
  /** null: an errand about to be inserted (it has no offers yet). */
  id: number | null;
  communityId: number;
  buildingId: number;
  location: Point;
  needs: ErrandNeeds;
}

/**
 * How many nearby helpers the geo search returns for ranking, per offer to make: enough to
 * choose among for load and rest, and bounded so the search costs the same in a dense city.
 */
const NEARBY_PER_OFFER = 4;
const NEARBY_MIN = 12;

/**
 * Finds the best helpers for one errand: those whose zone covers its building, then those within
 * the round's radius (the geo index); loads both sets with the facts ranking needs in one query
 * and ranks them (domain.ts).
 * Helpers who already had an offer for this errand in this attempt (or declined or released it
 * before) are left out.
 */
export async function findCandidateHelpers(
  sql: Sql,
  geo: GeoIndex,
  errand: ErrandToMatch,
  weights: ScoreWeights,
  limit: number,
  now: number,
): Promise<RankedCandidate[]> {
  const nearby = await geo.nearby(
    sql,
    errand.communityId,
    errand.location,
    errand.needs.radiusM,
    Math.max(NEARBY_MIN, limit * NEARBY_PER_OFFER),
  );
  const distances = new Map(nearby.map((n) => [n.helperId, n.distanceM]));
  const active = ACTIVE_TASK_STATUSES.map(() => '?').join(', ');
  // The zone's helpers and the nearby ones with the facts ranking needs, in one statement. A new
  // errand (id null) has no offers to leave out yet.
  const nearbyArm = nearby.length > 0 ? ` UNION ALL SELECT id, 0 FROM helpers WHERE id IN (${nearby.map(() => '?').join(', ')})` : '';
  const notOfferedYet =
    errand.id === null
      ? ''
      : "WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.errand_id = ? AND o.helper_id = h.id AND o.status <> 'withdrawn')";
  const rows = await sql.all(
    `SELECT h.id, h.user_id, h.verified, h.on_duty, h.capacity, h.can_carry_heavy, h.lat, h.lng, h.rating_sum, h.rating_count,
            h.on_duty_since, h.duty_day, h.duty_minutes_day, c.in_zone,
            (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.status IN (${active}))
              + (SELECT COUNT(*) FROM offers o WHERE o.helper_id = h.id AND o.status = 'open' AND o.expires_at > ?) AS load_now,
            (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.accepted_at > ?) AS recent
       FROM (SELECT id, MAX(in_zone) AS in_zone
               FROM (SELECT helper_id AS id, 1 AS in_zone FROM helper_zones WHERE building_id = ?${nearbyArm}) found
              GROUP BY id) c
       JOIN helpers h ON h.id = c.id
      ${notOfferedYet}`,
    [
      ...ACTIVE_TASK_STATUSES,
      now,
      now - 86_400_000,
      errand.buildingId,
      ...nearby.map((n) => n.helperId),
      ...(errand.id === null ? [] : [errand.id]),
    ],
  );
  const facts: CandidateFacts[] = rows.map((r) => {
    const id = num(r.id);
    const position = r.lat === null ? null : { lat: Number(r.lat), lng: Number(r.lng) };
    return {
      helperId: id,
      userId: num(r.user_id),
      verified: bool(r.verified),
      onDuty: bool(r.on_duty),
      capacity: num(r.capacity),
      load: num(r.load_now),
      canCarryHeavy: bool(r.can_carry_heavy),
      inZone: bool(r.in_zone),
      distanceM: distances.get(id) ?? (position ? distanceMeters(errand.location, position) : Number.MAX_SAFE_INTEGER),
      assignmentsLast24h: num(r.recent),
      rating: num(r.rating_count) > 0 ? num(r.rating_sum) / num(r.rating_count) : null,
      hoursOnDutyToday: hoursOnDutyToday(
        { onDutySince: numOrNull(r.on_duty_since), dutyDay: num(r.duty_day), dutyMinutesDay: num(r.duty_minutes_day) },
        now,
      ),
    };
  });
  return rankCandidates(facts, errand.needs, weights, limit);
}
