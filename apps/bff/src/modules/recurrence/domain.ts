export const DAY_MS = 86_400_000;

/**
 * The run after an occurrence at `occurrenceAt`: one cadence later, or, when the process was down
 * for longer than that, the first cadence step after `now`. A late pass runs the missed occurrence
 * once and does not replay every step it slept through (no burst of water orders after an outage).
 */
export function nextRunAfter(occurrenceAt: number, cadenceDays: number, now: number): number {
  const step = cadenceDays * DAY_MS;
  if (occurrenceAt + step > now) return occurrenceAt + step;
  return occurrenceAt + (Math.floor((now - occurrenceAt) / step) + 1) * step;
}
