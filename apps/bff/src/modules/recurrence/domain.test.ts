import { DAY_MS, nextRunAfter } from './domain';

describe('nextRunAfter', () => {
  const t0 = Date.UTC(2026, 10, 1, 1, 0);
  it('is one cadence later when the pass ran on time', () => {
    expect(nextRunAfter(t0, 7, t0 + 60_000)).toBe(t0 + 7 * DAY_MS);
  });
  it('skips the steps slept through, keeping the time of day, after a long outage', () => {
    expect(nextRunAfter(t0, 1, t0 + 3.5 * DAY_MS)).toBe(t0 + 4 * DAY_MS);
    expect(nextRunAfter(t0, 7, t0 + 7 * DAY_MS)).toBe(t0 + 14 * DAY_MS);
  });
});
