import fc from 'fast-check';
import {
  boundingBox,
  closeDutySpell,
  distanceMeters,
  hoursOnDutyToday,
  needsHeavyCarrier,
  radiusForRound,
  rankCandidates,
  shanghaiDay,
  type CandidateFacts,
  type ErrandNeeds,
  type ScoreWeights,
} from './domain';

const weights: ScoreWeights = { zone: 100, distance: 40, load: 30, recentAssignment: 6, rating: 10, hoursOnDuty: 3 };
const needs: ErrandNeeds = { requesterUserId: -1, needsHeavyCarrier: false, radiusM: 1500 };

const candidate = (over: Partial<CandidateFacts> = {}): CandidateFacts => ({
  helperId: 1,
  userId: 101,
  verified: true,
  onDuty: true,
  capacity: 3,
  load: 0,
  canCarryHeavy: true,
  inZone: false,
  distanceM: 500,
  assignmentsLast24h: 0,
  rating: null,
  hoursOnDutyToday: 0,
  ...over,
});

const arbCandidate = fc.record({
  helperId: fc.integer({ min: 1, max: 10_000 }),
  userId: fc.integer({ min: 1, max: 10_000 }),
  verified: fc.boolean(),
  onDuty: fc.boolean(),
  capacity: fc.integer({ min: 0, max: 5 }),
  load: fc.integer({ min: 0, max: 6 }),
  canCarryHeavy: fc.boolean(),
  inZone: fc.boolean(),
  distanceM: fc.integer({ min: 0, max: 5000 }),
  assignmentsLast24h: fc.integer({ min: 0, max: 30 }),
  rating: fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: null }),
  hoursOnDutyToday: fc.double({ min: 0, max: 24, noNaN: true }),
});
const arbWeights = fc.record({
  zone: fc.double({ min: 0, max: 200, noNaN: true }),
  distance: fc.double({ min: 0, max: 100, noNaN: true }),
  load: fc.double({ min: 0, max: 100, noNaN: true }),
  recentAssignment: fc.double({ min: 0, max: 20, noNaN: true }),
  rating: fc.double({ min: 0, max: 50, noNaN: true }),
  hoursOnDuty: fc.double({ min: 0, max: 10, noNaN: true }),
});
const arbNeeds = fc.record({
  requesterUserId: fc.integer({ min: 1, max: 10_000 }),
  needsHeavyCarrier: fc.boolean(),
  radiusM: fc.integer({ min: 100, max: 3000 }),
});
const uniqueById = (cs: CandidateFacts[]) => [...new Map(cs.map((c) => [c.helperId, c])).values()];

describe('rankCandidates', () => {
  it('puts a zone helper before a nearer outsider', () => {
    const ranked = rankCandidates(
      [candidate({ helperId: 1, distanceM: 50 }), candidate({ helperId: 2, inZone: true, distanceM: 1200 })],
      needs,
      weights,
      3,
    );
    expect(ranked.map((c) => c.helperId)).toEqual([2, 1]);
  });

  it('spreads work: the helper with fewer recent assignments comes first', () => {
    const ranked = rankCandidates([candidate({ helperId: 1, assignmentsLast24h: 8 }), candidate({ helperId: 2 })], needs, weights, 3);
    expect(ranked[0]!.helperId).toBe(2);
  });

  it('sends heavy goods up stairs only to helpers who can carry them', () => {
    const heavy = { ...needs, needsHeavyCarrier: true };
    const ranked = rankCandidates(
      [candidate({ helperId: 1, canCarryHeavy: false, inZone: true }), candidate({ helperId: 2 })],
      heavy,
      weights,
      3,
    );
    expect(ranked.map((c) => c.helperId)).toEqual([2]);
  });

  it('keeps outsiders beyond the radius out, but zone helpers in', () => {
    const ranked = rankCandidates(
      [candidate({ helperId: 1, distanceM: 2000 }), candidate({ helperId: 2, distanceM: 2000, inZone: true })],
      needs,
      weights,
      3,
    );
    expect(ranked.map((c) => c.helperId)).toEqual([2]);
  });

  it('never offers to an off-duty, unverified or full helper, nor to the requester (property)', () => {
    fc.assert(
      fc.property(fc.array(arbCandidate, { maxLength: 30 }), arbNeeds, arbWeights, fc.integer({ min: 1, max: 10 }), (cs, n, w, k) => {
        const ranked = rankCandidates(cs, n, w, k);
        expect(ranked.length).toBeLessThanOrEqual(k);
        for (const c of ranked) {
          expect(c.onDuty && c.verified && c.load < c.capacity && c.userId !== n.requesterUserId).toBe(true);
          if (n.needsHeavyCarrier) expect(c.canCarryHeavy).toBe(true);
        }
      }),
    );
  });

  it('never ranks a zone helper below an otherwise equal outsider (property)', () => {
    fc.assert(
      fc.property(arbCandidate, fc.array(arbCandidate, { maxLength: 10 }), arbNeeds, arbWeights, (base, others, n, w) => {
        const zone = { ...base, helperId: 20_001, inZone: true };
        const outsider = { ...base, helperId: 20_002, inZone: false };
        const ranked = rankCandidates([...others, outsider, zone], n, w, 100).map((c) => c.helperId);
        if (ranked.includes(20_002)) expect(ranked.indexOf(20_001)).toBeLessThan(ranked.indexOf(20_002));
      }),
    );
  });

  it('never raises a helper whose recent work grows (property)', () => {
    fc.assert(
      fc.property(
        arbCandidate,
        fc.array(arbCandidate, { maxLength: 15 }),
        fc.integer({ min: 1, max: 10 }),
        arbNeeds,
        arbWeights,
        (me, others, extra, n, w) => {
          const field = uniqueById(others.filter((o) => o.helperId !== me.helperId));
          const before = rankCandidates([...field, me], n, w, 100).map((c) => c.helperId);
          const busier = { ...me, assignmentsLast24h: me.assignmentsLast24h + extra };
          const after = rankCandidates([...field, busier], n, w, 100).map((c) => c.helperId);
          if (before.includes(me.helperId)) expect(after.indexOf(me.helperId)).toBeGreaterThanOrEqual(before.indexOf(me.helperId));
        },
      ),
    );
  });

  it('is deterministic whatever the input order (property)', () => {
    fc.assert(
      fc.property(fc.array(arbCandidate, { maxLength: 20 }), arbNeeds, arbWeights, (cs, n, w) => {
        const unique = uniqueById(cs);
        const a = rankCandidates(unique, n, w, 100).map((c) => c.helperId);
        const b = rankCandidates([...unique].reverse(), n, w, 100).map((c) => c.helperId);
        expect(a).toEqual(b);
      }),
    );
  });
});

describe('geometry', () => {
  const a = { lat: 41.7745, lng: 123.431 };
  it('is zero for the same point and symmetric', () => {
    const b = { lat: 41.7801, lng: 123.4402 };
    expect(distanceMeters(a, a)).toBe(0);
    expect(distanceMeters(a, b)).toBe(distanceMeters(b, a));
  });
  it('measures about 111 km per degree of latitude', () => {
    const d = distanceMeters({ lat: 41, lng: 123 }, { lat: 42, lng: 123 });
    expect(d).toBeGreaterThan(111_000);
    expect(d).toBeLessThan(111_400);
  });
  it('has a bounding box that contains every point of the circle (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.integer({ min: 50, max: 5000 }), (angle, r) => {
        const box = boundingBox(a, r);
        const p = {
          lat: a.lat + ((r * 0.999) / 111_320) * Math.sin(angle),
          lng: a.lng + ((r * 0.999) / (111_320 * Math.cos((a.lat * Math.PI) / 180))) * Math.cos(angle),
        };
        expect(p.lat).toBeGreaterThanOrEqual(box.minLat);
        expect(p.lat).toBeLessThanOrEqual(box.maxLat);
        expect(p.lng).toBeGreaterThanOrEqual(box.minLng);
        expect(p.lng).toBeLessThanOrEqual(box.maxLng);
      }),
    );
  });
});

describe('rounds, loads and duty time', () => {
  it('widens the radius each round and keeps the last', () => {
    expect([1, 2, 3, 4].map((r) => radiusForRound(r, [800, 1500, 3000]))).toEqual([800, 1500, 3000, 3000]);
  });
  it('asks for a heavy carrier only above the floor limit without a lift', () => {
    expect(needsHeavyCarrier({ heavy: true, floor: 6, hasLift: false }, 3)).toBe(true);
    expect(needsHeavyCarrier({ heavy: true, floor: 6, hasLift: true }, 3)).toBe(false);
    expect(needsHeavyCarrier({ heavy: true, floor: 3, hasLift: false }, 3)).toBe(false);
    expect(needsHeavyCarrier({ heavy: false, floor: 9, hasLift: false }, 3)).toBe(false);
  });
  it('counts hours on duty since local midnight in Shenyang', () => {
    const midnight = Date.parse('2026-11-28T00:00:00+08:00');
    const since = midnight - 2 * 3_600_000; // came on duty at 22:00 the evening before
    expect(hoursOnDutyToday({ onDutySince: since, dutyDay: 0, dutyMinutesDay: 0 }, midnight + 3 * 3_600_000)).toBeCloseTo(3);
    const closed = closeDutySpell(
      { onDutySince: midnight + 3_600_000, dutyDay: shanghaiDay(midnight), dutyMinutesDay: 30 },
      midnight + 2 * 3_600_000,
    );
    expect(closed).toEqual({ dutyDay: shanghaiDay(midnight), dutyMinutesDay: 90 });
    expect(hoursOnDutyToday({ onDutySince: null, ...closed }, midnight + 86_400_000 + 60_000)).toBe(0);
  });
});
