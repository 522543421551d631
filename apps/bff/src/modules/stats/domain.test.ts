import {
  BUCKET_COUNT,
  BUCKET_EDGES_MS,
  bucketOf,
  dayBit,
  dayOf,
  dayStartMs,
  quantileMs,
  rangeMasks,
  splitByDay,
  tierHours,
  weekOf,
} from './domain';

const HOUR = 3_600_000;

describe('statistics rules', () => {
  it('days are Shanghai calendar days: 23:59 and 00:00 local fall on different days', () => {
    const midnight = Date.parse('2026-11-29T00:00:00+08:00');
    expect(dayOf(midnight - 1)).toBe(20261128);
    expect(dayOf(midnight)).toBe(20261129);
    expect(dayStartMs(20261129)).toBe(midnight);
  });

  it('weeks start on Monday', () => {
    expect(weekOf(20261129)).toBe(20261123); // a Sunday
    expect(weekOf(20261130)).toBe(20261130); // a Monday
    expect(weekOf(20270101)).toBe(20261228);
  });

  it('a duty spell over midnight is split between the two days', () => {
    const start = Date.parse('2026-11-28T22:00:00+08:00');
    expect(splitByDay(start, start + 3 * HOUR)).toEqual([
      { day: 20261128, ms: 2 * HOUR },
      { day: 20261129, ms: HOUR },
    ]);
    expect(splitByDay(start, start)).toEqual([]);
  });

  it('buckets run from under a minute to 72 hours or more, and a percentile is its bucket upper edge', () => {
    expect(BUCKET_COUNT).toBe(40);
    expect(BUCKET_EDGES_MS[0]).toBe(60_000);
    expect(BUCKET_EDGES_MS[BUCKET_EDGES_MS.length - 1]).toBe(72 * HOUR);
    expect(bucketOf(59_999)).toBe(0);
    expect(bucketOf(60_000)).toBe(1);
    expect(bucketOf(100 * HOUR)).toBe(39);
    const counts = new Array<number>(BUCKET_COUNT).fill(0);
    for (const ms of [5 * 60_000, 20 * 60_000, 30 * 60_000, 45 * 60_000, 2 * HOUR]) counts[bucketOf(ms)]! += 1;
    const p50 = quantileMs(counts, 0.5)!;
    expect(p50).toBeGreaterThan(30 * 60_000);
    expect(p50).toBeLessThanOrEqual(30 * 60_000 * 1.25);
    expect(quantileMs(counts, 0.9)).toBeGreaterThan(2 * HOUR);
    expect(quantileMs(new Array<number>(BUCKET_COUNT).fill(0), 0.5)).toBeNull();
  });

  it('tiers: red for medicine, urgent or vulnerable; yellow for daily necessities; blue for the rest', () => {
    expect(tierHours({ category: 'parcel', urgency: 'urgent', vulnerable: false })).toBe(2);
    expect(tierHours({ category: 'water', urgency: 'normal', vulnerable: true })).toBe(2);
    expect(tierHours({ category: 'medicine', urgency: 'normal', vulnerable: false })).toBe(2);
    expect(tierHours({ category: 'vegetables', urgency: 'normal', vulnerable: false })).toBe(24);
    expect(tierHours({ category: 'parcel', urgency: 'normal', vulnerable: false })).toBe(72);
  });
});

describe('household-days masks', () => {
  it('a range covers the bits of its days in each 50-day window it touches', () => {
    const from = dayBit(20261101);
    const masks = rangeMasks(20261101, 20261130);
    const bits = masks.flatMap(({ window, mask }) =>
      Array.from({ length: 50 }, (_, b) => b)
        .filter((b) => Math.floor(mask / 2 ** b) % 2 === 1)
        .map((b) => window * 50 + b),
    );
    expect(bits).toHaveLength(30);
    expect(bits[0]).toBe(from.window * 50 + from.bit);
    expect(new Set(bits).size).toBe(30);
    expect(masks.every((m) => m.mask < 2 ** 50)).toBe(true);
  });
});
