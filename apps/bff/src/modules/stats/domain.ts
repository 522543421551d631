import { DEFAULT_SLA_CONFIG, slaHours, slaTierFor, type ErrandCategory, type SlaTier, type Urgency } from '@linli/contracts';

// Pure rules of the statistics: calendar days, latency buckets and the SLA tier's hours.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** The Asia/Shanghai calendar day of an instant, as yyyymmdd (20261129). */
export function dayOf(ms: number): number {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/** The instant a Shanghai day (yyyymmdd) begins. */
export function dayStartMs(day: number): number {
  return Date.UTC(Math.floor(day / 10_000), (Math.floor(day / 100) % 100) - 1, day % 100) - SHANGHAI_OFFSET_MS;
}

/** yyyymmdd from 'YYYY-MM-DD'. */
export function dayFromIso(date: string): number {
  return Number(date.replaceAll('-', ''));
}

/** 'YYYY-MM-DD' from yyyymmdd. */
export function isoFromDay(day: number): string {
  const s = String(day);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** The days from `from` to `to`, both included. */
export function daysBetween(from: number, to: number): number[] {
  const days: number[] = [];
  for (let t = dayStartMs(from); t <= dayStartMs(to); t += DAY_MS) days.push(dayOf(t));
  return days;
}

/** The Monday (yyyymmdd) of the week a day falls in: weeks run Monday to Sunday, as in China. */
export function weekOf(day: number): number {
  const start = dayStartMs(day);
  const weekday = (new Date(start + SHANGHAI_OFFSET_MS).getUTCDay() + 6) % 7; // Monday 0
  return dayOf(start - weekday * DAY_MS);
}

/**
 * A duty spell [from, to) split at Shanghai midnights: how many ms of it fall on each day.
 */
export function splitByDay(from: number, to: number): { day: number; ms: number }[] {
  const parts: { day: number; ms: number }[] = [];
  let t = from;
  while (t < to) {
    const day = dayOf(t);
    const end = Math.min(to, dayStartMs(day) + DAY_MS);
    parts.push({ day, ms: end - t });
    t = end;
  }
  return parts;
}

/**
 * Latency bucket edges, log-scale from 1 minute to 72 hours: 39 edges, each about 24% above the
 * previous, so 40 buckets (0: under a minute; 39: 72 hours or more). Percentiles read from them
 * are exact to one bucket's width.
 */
export const BUCKET_EDGES_MS: readonly number[] = Array.from({ length: 39 }, (_, k) => Math.round(60_000 * Math.pow(72 * 60, k / 38)));
export const BUCKET_COUNT = BUCKET_EDGES_MS.length + 1;

/** The bucket a duration falls in: the number of edges at or below it. */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi = BUCKET_EDGES_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BUCKET_EDGES_MS[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same as bucketOf, as a SQL expression over a duration expression (the backfill). */
export function bucketSql(durationExpr: string): string {
  return `CASE ${BUCKET_EDGES_MS.map((edge, k) => `WHEN ${durationExpr} < ${edge} THEN ${k}`).join(' ')} ELSE ${BUCKET_EDGES_MS.length} END`;
}

/**
 * The q-quantile (0 < q < 1) of merged bucket counts, as the upper edge of the bucket holding it
 * (a conservative "within X"); the last, open bucket answers its lower edge (72 h). Null if empty.
 */
export function quantileMs(counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] ?? 0;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    seen += counts[b] ?? 0;
    if (seen >= rank) return BUCKET_EDGES_MS[Math.min(b, BUCKET_EDGES_MS.length - 1)]!;
  }
  return BUCKET_EDGES_MS[BUCKET_EDGES_MS.length - 1]!;
}

// The default 红黄蓝 rule (contracts' sla.ts): for errands that carry no due time of their own
// (before the SLA migration) and for the backfill, which runs before that migration.
export interface TierInput {
  category: ErrandCategory;
  urgency: Urgency;
  vulnerable: boolean;
}

/** The hours the errand's SLA tier allows from submission to delivery, by the default rule. */
export function tierHours(e: TierInput): number {
  return slaHours(slaTierFor(e, DEFAULT_SLA_CONFIG), DEFAULT_SLA_CONFIG);
}

/** Whether a delivery came within its tier's hours of submission. */
export function deliveredWithinTier(e: TierInput & { createdAt: number; deliveredAt: number }): boolean {
  return e.deliveredAt - e.createdAt <= tierHours(e) * HOUR_MS;
}

/** tierHours as SQL over an errands row aliased `e` (the backfill). */
export function tierMsSql(e: string): string {
  const ms = (tier: SlaTier) => slaHours(tier, DEFAULT_SLA_CONFIG) * HOUR_MS;
  const byCategory = Object.entries(DEFAULT_SLA_CONFIG.categories)
    .map(([category, tier]) => `WHEN '${category}' THEN ${ms(tier)}`)
    .join(' ');
  return `CASE WHEN ${e}.urgency = 'urgent' OR ${e}.vulnerable = 1 THEN ${ms('red')} ELSE CASE ${e}.category ${byCategory} END END`;
}

/** Days per household-days window (see StatsHouseholdDays): 50 bits, exact in a JavaScript number. */
export const DAY_WINDOW = 50;

/** Days since 1970-01-01 in Shanghai of a yyyymmdd day. */
export function dayNumber(day: number): number {
  return Math.round((dayStartMs(day) + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The window and bit of a day in the household-days masks. */
export function dayBit(day: number): { window: number; bit: number } {
  const n = dayNumber(day);
  return { window: Math.floor(n / DAY_WINDOW), bit: n % DAY_WINDOW };
}

/** For each window a range of days touches, the mask of its days inside the range. */
export function rangeMasks(fromDay: number, toDay: number): { window: number; mask: number }[] {
  const masks = new Map<number, number>();
  for (let n = dayNumber(fromDay); n <= dayNumber(toDay); n++) {
    const window = Math.floor(n / DAY_WINDOW);
    masks.set(window, (masks.get(window) ?? 0) + 2 ** (n % DAY_WINDOW));
  }
  return [...masks].map(([window, mask]) => ({ window, mask }));
}
