import { addDays, closedWeeksIn, ClosedWeekCache } from './closed-weeks';
import type { DayRange } from './store';

// 2026-11-02 is a Monday.

describe('closedWeeksIn', () => {
  it('takes the whole weeks inside the range that ended before the closed day', () => {
    expect(closedWeeksIn(20261101, 20261130, 20261130)).toEqual([20261102, 20261109, 20261116, 20261123]);
    expect(closedWeeksIn(20261102, 20261115, 20261201)).toEqual([20261102, 20261109]);
    expect(closedWeeksIn(20261103, 20261108, 20261201)).toEqual([]);
    expect(closedWeeksIn(20261101, 20261130, 20261115)).toEqual([20261102]);
  });
  it('counts days across month ends', () => {
    expect(addDays(20261130, 1)).toBe(20261201);
    expect(addDays(20261201, -1)).toBe(20261130);
  });
});

describe('ClosedWeekCache', () => {
  // One row per community and day: value = day, so sums tell exactly which days were read.
  const daysOf = (r: DayRange) => {
    const rows: { communityId: number; day: number }[] = [];
    for (const communityId of r.communityIds) for (let d = r.fromDay; d <= r.toDay; d = addDays(d, 1)) rows.push({ communityId, day: d });
    return rows;
  };

  it('gives the rows of every day once, reading closed weeks from memory the second time', async () => {
    const cache = new ClosedWeekCache();
    const reads: DayRange[] = [];
    const load = (r: DayRange) => {
      reads.push(r);
      return Promise.resolve(daysOf(r));
    };
    const range = { communityIds: [1, 2], fromDay: 20261101, toDay: 20261130 };
    const expected = daysOf(range)
      .map((r) => `${r.communityId}:${r.day}`)
      .sort();
    const first = await cache.rows('t', range, 20261127, load);
    expect(first.map((r) => `${r.communityId}:${r.day}`).sort()).toEqual(expected);
    expect(cache.size).toBe(6); // 3 closed weeks × 2 communities
    reads.length = 0;
    const second = await cache.rows('t', range, 20261127, load);
    expect(second.map((r) => `${r.communityId}:${r.day}`).sort()).toEqual(expected);
    // Only the edges: Nov 1 and Nov 23–30.
    expect(reads.map((r) => [r.fromDay, r.toDay])).toEqual([
      [20261101, 20261101],
      [20261123, 20261130],
    ]);
  });

  it('reads a community not kept yet, and keeps no more than its limit', async () => {
    const cache = new ClosedWeekCache(3);
    const load = (r: DayRange) => Promise.resolve(daysOf(r));
    await cache.rows('t', { communityIds: [1], fromDay: 20261102, toDay: 20261115 }, 20261201, load);
    const both = await cache.rows('t', { communityIds: [1, 2], fromDay: 20261102, toDay: 20261115 }, 20261201, load);
    expect(both.length).toBe(28);
    expect(cache.size).toBe(3);
  });
});
