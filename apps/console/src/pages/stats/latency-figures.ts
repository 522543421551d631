// The BFF's latency percentiles are histogram bucket edges (stats/domain.ts in the BFF): each says
// "at most this long". The shortest bucket, "under a minute", has its edge at 60 s, which rounds to
// the same 1 as the next bucket's 75 s; these keep the two apart in the totals and the chart.

const UNDER_A_MINUTE_EDGE_MS = 60_000;

/** Where the chart draws "under a minute": below its 1-minute line, never on it. */
export const UNDER_A_MINUTE_POINT = 0.5;

/** A percentile in the totals: '<1', whole minutes, or '—' with nothing measured. */
export function minutesText(ms: number | null): string {
  if (ms === null) return '—';
  return ms <= UNDER_A_MINUTE_EDGE_MS ? '<1' : String(Math.round(ms / 60_000));
}

/** A percentile as a point on the chart's minutes axis (null leaves a gap). */
export function minutesPoint(ms: number | null): number | null {
  if (ms === null) return null;
  return ms <= UNDER_A_MINUTE_EDGE_MS ? UNDER_A_MINUTE_POINT : Math.round(ms / 60_000);
}

/** A point of the chart in its tooltip: the under-a-minute point says so instead of 0.5. */
export function minutesPointText(point: number): string {
  return point === UNDER_A_MINUTE_POINT ? '<1' : String(point);
}
