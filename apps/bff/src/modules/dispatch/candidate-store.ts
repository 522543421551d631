import { ACTIVE_TASK_STATUSES } from '@linli/contracts';
import { bool, num, numOrNull, type Sql } from '../../infra/db/database';
import type { CandidateFacts, DutyClock, Point } from './domain';

// The candidate query of every dispatch round: one statement over helpers, their zones, their
// errands and offers (read-only exceptions, see table-ownership.ts).

/** What the database knows of one candidate helper; ranking adds distance and duty time (candidates.ts). */
export type CandidateRow = Omit<CandidateFacts, 'distanceM' | 'hoursOnDutyToday'> & {
  /** null: no position at all. */
  position: Point | null;
  duty: DutyClock;
};

/**
 * The helpers whose zone holds `buildingId` (null: none) and the helpers `nearbyIds`, with the
 * facts ranking needs, in one statement. With an `errandId`, helpers who already had an offer for
 * it in this attempt (or declined or released it before) are left out; a new errand (null) has no
 * offers yet.
 */
export async function candidateRows(
  sql: Sql,
  c: { errandId: number | null; buildingId: number | null; nearbyIds: readonly number[] },
  now: number,
): Promise<CandidateRow[]> {
  const active = ACTIVE_TASK_STATUSES.map(() => '?').join(', ');
  const arms = [
    ...(c.buildingId === null ? [] : ['SELECT helper_id AS id, 1 AS in_zone FROM helper_zones WHERE building_id = ?']),
    ...(c.nearbyIds.length > 0 ? [`SELECT id, 0 AS in_zone FROM helpers WHERE id IN (${c.nearbyIds.map(() => '?').join(', ')})`] : []),
  ];
  if (arms.length === 0) return [];
  const notOfferedYet =
    c.errandId === null
      ? ''
      : "WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.errand_id = ? AND o.helper_id = h.id AND o.status <> 'withdrawn')";
  const rows = await sql.all(
    `SELECT h.id, h.user_id, h.verified, h.on_duty, h.capacity, h.can_carry_heavy, h.lat, h.lng, h.rating_sum, h.rating_count,
            h.on_duty_since, h.duty_day, h.duty_minutes_day, c.in_zone,
            (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.status IN (${active}))
              + (SELECT COUNT(*) FROM offers o WHERE o.helper_id = h.id AND o.status = 'open' AND o.expires_at > ?) AS load_now,
            (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.accepted_at > ?) AS recent
       FROM (SELECT id, MAX(in_zone) AS in_zone
               FROM (${arms.join(' UNION ALL ')}) found
              GROUP BY id) c
       JOIN helpers h ON h.id = c.id
      ${notOfferedYet}`,
    [
      ...ACTIVE_TASK_STATUSES,
      now,
      now - 86_400_000,
      ...(c.buildingId === null ? [] : [c.buildingId]),
      ...c.nearbyIds,
      ...(c.errandId === null ? [] : [c.errandId]),
    ],
  );
  return rows.map((r) => ({
    helperId: num(r.id),
    userId: num(r.user_id),
    verified: bool(r.verified),
    onDuty: bool(r.on_duty),
    capacity: num(r.capacity),
    load: num(r.load_now),
    canCarryHeavy: bool(r.can_carry_heavy),
    inZone: bool(r.in_zone),
    position: r.lat === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    assignmentsLast24h: num(r.recent),
    rating: num(r.rating_count) > 0 ? num(r.rating_sum) / num(r.rating_count) : null,
    duty: { onDutySince: numOrNull(r.on_duty_since), dutyDay: num(r.duty_day), dutyMinutesDay: num(r.duty_minutes_day) },
  }));
}
