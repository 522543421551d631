import { liveRetryDelayMs } from './live';

describe('the live line retry schedule', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => liveRetryDelayMs(a, () => 0))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('stretches each delay by up to a fifth, never shortens it', () => {
    expect(liveRetryDelayMs(2, () => 0.999_999)).toBeCloseTo(4_800, 0);
    for (let i = 0; i < 200; i++) {
      const d = liveRetryDelayMs(3);
      expect(d).toBeGreaterThanOrEqual(8_000);
      expect(d).toBeLessThan(9_600);
    }
  });
});
