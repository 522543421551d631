// Pure rules of matching: who may get an offer, how candidates rank, distances and duty time.
// No I/O here, so every rule is tested directly (domain.test.ts, with property tests).

export interface Point {
  lat: number;
  lng: number;
}

/** Great-circle distance in metres between two GCJ-02 points (fine at city scale). */
export function distanceMeters(a: Point, b: Point): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * R * Math.asin(Math.min(1, Math.sqrt(h))));
}

/** The latitude/longitude box around `center` that contains the circle of `radiusM`. */
export function boundingBox(center: Point, radiusM: number): { minLat: number; maxLat: number; minLng: number; maxLng: number } {
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.max(Math.cos((center.lat * Math.PI) / 180), 0.01));
  return { minLat: center.lat - dLat, maxLat: center.lat + dLat, minLng: center.lng - dLng, maxLng: center.lng + dLng };
}

/** What the ranking knows about one helper for one errand. */
export interface CandidateFacts {
  helperId: number;
  userId: number;
  verified: boolean;
  onDuty: boolean;
  capacity: number;
  /** Tasks in hand plus open offers: an open offer holds a slot until it is answered or expires. */
  load: number;
  canCarryHeavy: boolean;
  /** Their responsibility zone covers the errand's building. */
  inZone: boolean;
  distanceM: number;
  assignmentsLast24h: number;
  /** Average stars, or null before the first rating. */
  rating: number | null;
  hoursOnDutyToday: number;
}

export interface ErrandNeeds {
  requesterUserId: number;
  needsHeavyCarrier: boolean;
  radiusM: number;
}

export interface ScoreWeights {
  zone: number;
  distance: number;
  load: number;
  recentAssignment: number;
  rating: number;
  hoursOnDuty: number;
}

/** Heavy goods to a floor above `floorAbove` without a lift need someone who can carry them. */
export function needsHeavyCarrier(e: { heavy: boolean; floor: number; hasLift: boolean }, floorAbove: number): boolean {
  return e.heavy && !e.hasLift && e.floor > floorAbove;
}

function isEligible(c: CandidateFacts, needs: ErrandNeeds): boolean {
  return (
    c.verified &&
    c.onDuty &&
    c.load < c.capacity &&
    c.userId !== needs.requesterUserId &&
    (!needs.needsHeavyCarrier || c.canCarryHeavy) &&
    (c.inZone || c.distanceM <= needs.radiusM)
  );
}

/**
 * Higher is better: zone first, then closeness, free capacity and rating; recent assignments
 * and long hours on duty today count against, so the work spreads and people rest.
 */
function scoreCandidate(c: CandidateFacts, needs: ErrandNeeds, w: ScoreWeights): number {
  const closeness = Math.max(0, 1 - c.distanceM / Math.max(needs.radiusM, 1));
  const freeShare = c.capacity > 0 ? Math.max(0, 1 - c.load / c.capacity) : 0;
  const ratingLift = c.rating === null ? 0 : (c.rating - 3) / 2;
  return (
    (c.inZone ? w.zone : 0) +
    w.distance * closeness +
    w.load * freeShare +
    w.rating * ratingLift -
    w.recentAssignment * c.assignmentsLast24h -
    w.hoursOnDuty * c.hoursOnDutyToday
  );
}

export interface RankedCandidate extends CandidateFacts {
  score: number;
}

/** The eligible candidates, best first, at most `limit`. Ties: zone, then nearer, then lower id. */
export function rankCandidates(candidates: CandidateFacts[], needs: ErrandNeeds, w: ScoreWeights, limit: number): RankedCandidate[] {
  return candidates
    .filter((c) => isEligible(c, needs))
    .map((c) => ({ ...c, score: scoreCandidate(c, needs, w) }))
    .sort((a, b) => b.score - a.score || Number(b.inZone) - Number(a.inZone) || a.distanceM - b.distanceM || a.helperId - b.helperId)
    .slice(0, limit);
}

/** The search radius of a round within one dispatch attempt (1-based); later rounds keep the last. */
export function radiusForRound(roundInAttempt: number, radii: readonly number[]): number {
  return radii[Math.min(Math.max(roundInAttempt, 1), radii.length) - 1]!;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Day number in Asia/Shanghai (where duty days begin at local midnight). */
export function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function startOfShanghaiDay(ms: number): number {
  return shanghaiDay(ms) * DAY_MS - SHANGHAI_OFFSET_MS;
}

export interface DutyClock {
  onDutySince: number | null;
  dutyDay: number;
  dutyMinutesDay: number;
}

export function hoursOnDutyToday(d: DutyClock, now: number): number {
  const today = shanghaiDay(now);
  const closed = d.dutyDay === today ? d.dutyMinutesDay : 0;
  const open = d.onDutySince === null ? 0 : Math.max(0, now - Math.max(d.onDutySince, startOfShanghaiDay(now))) / 60_000;
  return (closed + open) / 60;
}

/** Going off duty: fold the open spell into today's minutes. */
export function closeDutySpell(d: DutyClock, now: number): { dutyDay: number; dutyMinutesDay: number } {
  return { dutyDay: shanghaiDay(now), dutyMinutesDay: Math.round(hoursOnDutyToday(d, now) * 60) };
}
