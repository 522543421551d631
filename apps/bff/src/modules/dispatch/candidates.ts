import type { Sql } from '../../infra/db/database';
import { candidateRows, type CandidateRow } from './candidate-store';
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
 * When too few of the nearest helpers can take the errand (at capacity, or not fit for it), the
 * search looks again at 4× as many, twice (up to the nearest 192 with 3 offers a round): a free
 * helper a little further away within the radius must still get the offer. Only a busy
 * neighbourhood pays for the extra round trips (two per step).
 */
const WIDEN_FACTOR = 4;
const WIDEN_STEPS = 2;

/** Candidate searches so far, and how many of them had to widen (metrics: a busy district shows here first). */
export interface SearchTally {
  searches: number;
  widened: number;
}

/**
 * Finds the best helpers for one errand: those whose zone covers its building, then those within
 * the round's radius (the geo index); loads both sets with the facts ranking needs in one query
 * (candidate-store.ts) and ranks them (domain.ts). Fewer than `limit` eligible among the nearest:
 * widens the search (above), reading only helpers it has not read yet.
 */
export async function findCandidateHelpers(
  sql: Sql,
  geo: GeoIndex,
  errand: ErrandToMatch,
  weights: ScoreWeights,
  limit: number,
  now: number,
  tally?: SearchTally,
): Promise<RankedCandidate[]> {
  if (tally) tally.searches++;
  const facts: CandidateFacts[] = [];
  const read = new Set<number>();
  let count = Math.max(NEARBY_MIN, limit * NEARBY_PER_OFFER);
  for (let step = 0; ; step++) {
    const nearby = await geo.nearby(sql, errand.communityId, errand.location, errand.needs.radiusM, count);
    const unread = nearby.filter((n) => !read.has(n.helperId));
    if (step === 0 || unread.length > 0) {
      const rows = await candidateRows(
        sql,
        // The zone's helpers are read with the first step only.
        { errandId: errand.id, buildingId: step === 0 ? errand.buildingId : null, nearbyIds: unread.map((n) => n.helperId) },
        now,
      );
      const distances = new Map(unread.map((n) => [n.helperId, n.distanceM]));
      for (const r of rows) facts.push(candidateFacts(r, distances, errand.location, now));
      for (const n of unread) read.add(n.helperId);
      for (const r of rows) read.add(r.helperId);
    }
    const ranked = rankCandidates(facts, errand.needs, weights, limit);
    // Enough, or nobody else within the radius, or as far as the search goes.
    if (ranked.length >= limit || nearby.length < count || step === WIDEN_STEPS) return ranked;
    if (tally && step === 0) tally.widened++;
    count *= WIDEN_FACTOR;
  }
}

// Fields named one by one: an object rest (`{ position, duty, ...r }`) is a slow runtime copy in
// V8; with it the ranking took 2.5× as long (82–106 µs against 33–34 for 14 candidates).
function candidateFacts(r: CandidateRow, distances: Map<number, number>, at: Point, now: number): CandidateFacts {
  return {
    helperId: r.helperId,
    userId: r.userId,
    verified: r.verified,
    onDuty: r.onDuty,
    capacity: r.capacity,
    load: r.load,
    canCarryHeavy: r.canCarryHeavy,
    inZone: r.inZone,
    distanceM: distances.get(r.helperId) ?? (r.position ? distanceMeters(at, r.position) : Number.MAX_SAFE_INTEGER),
    assignmentsLast24h: r.assignmentsLast24h,
    rating: r.rating,
    hoursOnDutyToday: hoursOnDutyToday(r.duty, now),
  };
}
