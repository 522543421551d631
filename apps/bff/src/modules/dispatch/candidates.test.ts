import type { Sql } from '../../infra/db/database';
import { findCandidateHelpers, type SearchTally } from './candidates';
import type { GeoIndex, NearbyHelper } from './geo-index';

// Helpers 1001, 1002, … stand in a line away from the errand, 10 m apart; `free` says who has a slot.
const FIRST_ID = 1001;
const weights = { zone: 100, distance: 40, load: 30, recentAssignment: 6, rating: 10, hoursOnDuty: 3 };
const errand = {
  id: null,
  communityId: 1,
  buildingId: 7,
  location: { lat: 41.77, lng: 123.43 },
  needs: { requesterUserId: 1, needsHeavyCarrier: false, radiusM: 5000 },
};

/** A geo index over `total` helpers that records how many each search asked for. */
function lineOfHelpers(total: number): GeoIndex & { asked: number[] } {
  const asked: number[] = [];
  return {
    kind: 'sql',
    asked,
    async nearby(_sql, _community, _center, _radius, limit): Promise<NearbyHelper[]> {
      asked.push(limit);
      return Array.from({ length: Math.min(limit, total) }, (_, i) => ({ helperId: FIRST_ID + i, distanceM: 10 * (i + 1) }));
    },
    async put() {},
    async remove() {},
  };
}

/** Answers the candidate query with a row for every helper id among its parameters; records the ids read. */
function candidateTable(free: (helperId: number) => boolean): Sql & { read: number[][] } {
  const read: number[][] = [];
  const sql = {
    read,
    async all(_text: string, params: readonly unknown[] = []) {
      const ids = params.filter((p): p is number => typeof p === 'number' && p >= FIRST_ID && p < FIRST_ID + 10_000);
      read.push(ids);
      return ids.map((id) => ({
        id,
        user_id: id + 50_000,
        verified: 1,
        on_duty: 1,
        capacity: 3,
        can_carry_heavy: 1,
        lat: null,
        lng: null,
        rating_sum: 0,
        rating_count: 0,
        on_duty_since: null,
        duty_day: 0,
        duty_minutes_day: 0,
        in_zone: 0,
        load_now: free(id) ? 0 : 3,
        recent: 0,
      }));
    },
  };
  return sql as unknown as Sql & { read: number[][] };
}

const search = (geo: GeoIndex, sql: Sql, tally?: SearchTally) => findCandidateHelpers(sql, geo, errand, weights, 3, Date.now(), tally);

describe('findCandidateHelpers', () => {
  it('searches once when the nearest dozen has enough free helpers', async () => {
    const geo = lineOfHelpers(500);
    const tally = { searches: 0, widened: 0 };
    const found = await search(
      geo,
      candidateTable(() => true),
      tally,
    );
    expect(geo.asked).toEqual([12]);
    expect(found.map((c) => c.helperId)).toEqual([1001, 1002, 1003]);
    expect(tally).toEqual({ searches: 1, widened: 0 });
  });

  it('looks at 48 and then 192 when the nearer ones are full, reading each helper once', async () => {
    const geo = lineOfHelpers(500);
    const sql = candidateTable((id) => id >= FIRST_ID + 100); // the nearest 100 are full
    const tally = { searches: 0, widened: 0 };
    const found = await search(geo, sql, tally);
    expect(geo.asked).toEqual([12, 48, 192]);
    expect(sql.read.map((ids) => ids.length)).toEqual([12, 36, 144]);
    expect(found.map((c) => c.helperId)).toEqual([1101, 1102, 1103]);
    expect(tally).toEqual({ searches: 1, widened: 1 });
  });

  it('gives up past the nearest 192, with whoever it found', async () => {
    const geo = lineOfHelpers(500);
    const found = await search(
      geo,
      candidateTable((id) => id === FIRST_ID + 150 || id >= FIRST_ID + 200),
    );
    expect(geo.asked).toEqual([12, 48, 192]);
    expect(found.map((c) => c.helperId)).toEqual([1151]);
  });

  it('stops widening once the radius holds nobody else', async () => {
    const geo = lineOfHelpers(20);
    const found = await search(
      geo,
      candidateTable((id) => id === FIRST_ID + 19),
    );
    expect(geo.asked).toEqual([12, 48]);
    expect(found.map((c) => c.helperId)).toEqual([1020]);
  });
});
