import {
  ERRAND_CATEGORIES,
  STATS_MAX_DAYS,
  type ErrandCategory,
  type Ledger,
  type LedgerQuery,
  type StatsQuery,
  type StatsReport,
} from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { badRequest } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { compoundNames } from '../community/store';
import { earliestOpenDutySince, namedHelpersOf } from '../helpers/store';
import { requireScope } from '../oversight/scope';
import { ClosedWeekCache } from './closed-weeks';
import { BUCKET_COUNT, dayFromIso, dayOf, dayStartMs, daysBetween, isoFromDay, quantileMs, weekOf } from './domain';
import * as store from './store';
import type { CountRow, DayRange } from './store';

const DAY_MS = 86_400_000;
/** Without `from`, the statistics cover 30 days: `to` and the 29 before it. */
const DEFAULT_DAYS_BEFORE = 29;

const ZERO: CountRow = { created: 0, delivered: 0, deliveredWithinTier: 0, completed: 0, cancelled: 0, escalated: 0 };

function add(a: CountRow, b: CountRow): CountRow {
  return {
    created: a.created + b.created,
    delivered: a.delivered + b.delivered,
    deliveredWithinTier: a.deliveredWithinTier + b.deliveredWithinTier,
    completed: a.completed + b.completed,
    cancelled: a.cancelled + b.cancelled,
    escalated: a.escalated + b.escalated,
  };
}

const withShare = (c: CountRow) => ({ ...c, withinTierShare: c.delivered === 0 ? null : c.deliveredWithinTier / c.delivered });

function latency(accept: number[], deliver: number[]) {
  return {
    acceptP50Ms: quantileMs(accept, 0.5),
    acceptP90Ms: quantileMs(accept, 0.9),
    deliverP50Ms: quantileMs(deliver, 0.5),
    deliverP90Ms: quantileMs(deliver, 0.9),
  };
}

/** A day ends for the roll-ups a margin after Shanghai midnight: instances' clocks may differ a little. */
const CLOCK_MARGIN_MS = 3_600_000;

/** Each helper's sums added up over the rows of several communities and weeks. */
function mergeHelperSums(rows: readonly store.HelperSums[]): store.HelperSums[] {
  const byHelper = new Map<number, store.HelperSums>();
  for (const r of rows) {
    const s = byHelper.get(r.helperId);
    byHelper.set(
      r.helperId,
      s
        ? {
            helperId: r.helperId,
            delivered: s.delivered + r.delivered,
            deliverMsSum: s.deliverMsSum + r.deliverMsSum,
            thanks: s.thanks + r.thanks,
            starsSum: s.starsSum + r.starsSum,
            onDutyMs: s.onDutyMs + r.onDutyMs,
          }
        : {
            helperId: r.helperId,
            delivered: r.delivered,
            deliverMsSum: r.deliverMsSum,
            thanks: r.thanks,
            starsSum: r.starsSum,
            onDutyMs: r.onDutyMs,
          },
    );
  }
  return [...byHelper.values()];
}

/** Each compound's counts added up over the weeks, the busiest (most created) `top` first. */
function busiestCompounds(rows: readonly (CountRow & { compoundId: number; communityId: number })[], top: number) {
  const byCompound = new Map<number, CountRow & { compoundId: number; communityId: number }>();
  for (const r of rows) {
    const c = byCompound.get(r.compoundId);
    byCompound.set(r.compoundId, { ...add(c ?? ZERO, r), compoundId: r.compoundId, communityId: r.communityId });
  }
  return [...byCompound.values()].sort((a, b) => b.created - a.created || a.compoundId - b.compoundId).slice(0, top);
}

const averageStars = (thanks: number, starsSum: number) => (thanks === 0 ? null : Math.round((starsSum / thanks) * 10) / 10);

/** Statistics and the service-hours ledger over the caller's scope, read from the daily roll-ups. */
export class StatsService {
  /** Closed weeks of the helper and compound roll-ups, summed once (closed-weeks.ts). */
  private readonly closedWeeks = new ClosedWeekCache();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  async stats(actor: AuthUser, q: StatsQuery): Promise<StatsReport> {
    const scope = await requireScope(this.db, actor, q.communityId);
    const toDay = q.to ? dayFromIso(q.to) : dayOf(this.now());
    const fromDay = q.from ? dayFromIso(q.from) : dayOf(dayStartMs(toDay) - DEFAULT_DAYS_BEFORE * DAY_MS);
    if (fromDay > toDay) throw badRequest('BAD_RANGE', '开始日期不能晚于结束日期');
    const days = daysBetween(fromDay, toDay);
    if (days.length > STATS_MAX_DAYS) throw badRequest('BAD_RANGE', `一次最多统计${STATS_MAX_DAYS}天`);
    const range: DayRange = { communityIds: q.communityId !== undefined ? [q.communityId] : scope.communityIds, fromDay, toDay };
    const report: StatsReport = {
      from: isoFromDay(fromDay),
      to: isoFromDay(toDay),
      granularity: q.granularity,
      communityIds: [...range.communityIds],
      totals: { ...withShare(ZERO), ...latency([], []), activeHelpers: 0, householdsServed: 0, vulnerableHouseholdsServed: 0 },
      series: [],
      byCategory: [],
      byCompound: [],
      topHelpers: [],
    };
    if (range.communityIds.length === 0) return report;

    // Independent reads, on as many pooled connections at once (SQLite runs them one by one).
    // Days before `closed` receive no more writes; helper days only before the earliest open duty
    // spell (closing it will add duty time to every day since).
    const closed = dayOf(this.now() - CLOCK_MARGIN_MS);
    const openSpell = await earliestOpenDutySince(this.db, range.communityIds);
    const helpersClosed = openSpell === null ? closed : Math.min(closed, dayOf(openSpell));
    const [byDayCategory, compoundRows, buckets, helperRows, households] = await Promise.all([
      store.countsByDayAndCategory(this.db, range),
      this.closedWeeks.rows('compound', range, closed, (r) => store.countsByCommunityAndCompound(this.db, r)),
      store.latencyByDay(this.db, range),
      this.closedWeeks.rows('helper', range, helpersClosed, (r) => store.helperSumsByCommunity(this.db, r)),
      store.householdsServed(this.db, range),
    ]);
    const helperSums = mergeHelperSums(helperRows);
    const compounds = busiestCompounds(compoundRows, q.top);
    // One pass over the helpers' sums gives both the active helpers and the busiest ones.
    const active = helperSums.filter((h) => h.delivered > 0 || h.onDutyMs > 0).length;
    const helpers = helperSums
      .filter((h) => h.delivered > 0)
      .sort((a, b) => b.delivered - a.delivered || a.helperId - b.helperId)
      .slice(0, q.top);

    // Periods: each day, or each Monday-to-Sunday week clipped to the range.
    const periodOf = (day: number) => (q.granularity === 'day' ? day : Math.max(weekOf(day), fromDay));
    const periods = [...new Set(days.map(periodOf))];
    const periodCounts = new Map<number, CountRow>(periods.map((p) => [p, ZERO]));
    const periodBuckets = new Map(
      periods.map((p) => [p, { accept: new Array<number>(BUCKET_COUNT).fill(0), deliver: new Array<number>(BUCKET_COUNT).fill(0) }]),
    );
    const categoryCounts = new Map<ErrandCategory, CountRow>();
    let totals = ZERO;
    for (const row of byDayCategory) {
      const p = periodOf(row.day);
      periodCounts.set(p, add(periodCounts.get(p) ?? ZERO, row));
      categoryCounts.set(row.category, add(categoryCounts.get(row.category) ?? ZERO, row));
      totals = add(totals, row);
    }
    const allAccept = new Array<number>(BUCKET_COUNT).fill(0);
    const allDeliver = new Array<number>(BUCKET_COUNT).fill(0);
    for (const b of buckets) {
      const h = periodBuckets.get(periodOf(b.day));
      if (!h) continue;
      h[b.metric][b.bucket] = (h[b.metric][b.bucket] ?? 0) + b.n;
      (b.metric === 'accept' ? allAccept : allDeliver)[b.bucket]! += b.n;
    }
    const [namesOfCompounds, people] = await Promise.all([
      compoundNames(
        this.db,
        compounds.map((c) => c.compoundId),
      ),
      namedHelpersOf(
        this.db,
        [],
        helpers.map((h) => h.helperId),
      ),
    ]);
    const names = new Map(people.map((h) => [h.helperId, h.name]));

    report.totals = {
      ...withShare(totals),
      ...latency(allAccept, allDeliver),
      activeHelpers: active,
      householdsServed: households.served,
      vulnerableHouseholdsServed: households.vulnerable,
    };
    report.series = periods.map((p) => ({
      period: isoFromDay(p),
      ...withShare(periodCounts.get(p)!),
      ...latency(periodBuckets.get(p)!.accept, periodBuckets.get(p)!.deliver),
    }));
    report.byCategory = ERRAND_CATEGORIES.filter((c) => categoryCounts.has(c)).map((category) => ({
      category,
      ...withShare(categoryCounts.get(category)!),
    }));
    report.byCompound = compounds.map(({ compoundId, communityId, ...c }) => ({
      compoundId,
      compoundName: namesOfCompounds.get(compoundId) ?? '',
      communityId,
      ...withShare(c),
    }));
    report.topHelpers = helpers.map((h) => ({
      helperId: h.helperId,
      name: names.get(h.helperId) ?? '',
      delivered: h.delivered,
      thanks: h.thanks,
      averageStars: averageStars(h.thanks, h.starsSum),
    }));
    return report;
  }

  /** 服务时长台账: every helper of the scope (and any helper who served in it), for one month. */
  async ledger(actor: AuthUser, q: LedgerQuery): Promise<Ledger> {
    const scope = await requireScope(this.db, actor, q.communityId);
    const communityIds = q.communityId !== undefined ? [q.communityId] : scope.communityIds;
    const monthText = q.month ?? isoFromDay(dayOf(this.now())).slice(0, 7);
    const [year, month] = monthText.split('-').map(Number) as [number, number];
    const fromDay = year * 10_000 + month * 100 + 1;
    const nextMonthDay = (month === 12 ? year + 1 : year) * 10_000 + (month === 12 ? 1 : month + 1) * 100 + 1;
    const monthStart = dayStartMs(fromDay);
    const monthEnd = dayStartMs(nextMonthDay);
    const range: DayRange = { communityIds, fromDay, toDay: nextMonthDay - 1 };
    if (communityIds.length === 0) return { month: monthText, communityIds, helpers: [] };

    const sums = await store.helperSumsIn(this.db, range);
    const buckets = await store.helperDeliveryBuckets(this.db, range);
    const people = await namedHelpersOf(
      this.db,
      communityIds,
      sums.map((s) => s.helperId),
    );
    const byHelper = new Map(sums.map((s) => [s.helperId, s]));
    const histograms = new Map<number, number[]>();
    for (const b of buckets) {
      const h = histograms.get(b.helperId) ?? new Array<number>(BUCKET_COUNT).fill(0);
      h[b.bucket]! += b.n;
      histograms.set(b.helperId, h);
    }
    const now = this.now();
    const helpers = people.map((p) => {
      const s = byHelper.get(p.helperId);
      // A spell still open has not reached the roll-ups yet: count its part in this month up to now.
      const open = p.onDutySince === null ? 0 : Math.max(0, Math.min(now, monthEnd) - Math.max(p.onDutySince, monthStart));
      const onDutyMs = (s?.onDutyMs ?? 0) + (communityIds.includes(p.communityId) ? open : 0);
      const delivered = s?.delivered ?? 0;
      const histogram = histograms.get(p.helperId) ?? [];
      return {
        helperId: p.helperId,
        name: p.name,
        kind: p.kind,
        communityId: p.communityId,
        errandsDone: delivered,
        hoursOnDuty: Math.round(onDutyMs / 360_000) / 10,
        deliveryAvgMs: delivered === 0 ? null : Math.round((s?.deliverMsSum ?? 0) / delivered),
        deliveryP50Ms: quantileMs(histogram, 0.5),
        deliveryP90Ms: quantileMs(histogram, 0.9),
        thanks: s?.thanks ?? 0,
        averageStars: averageStars(s?.thanks ?? 0, s?.starsSum ?? 0),
      };
    });
    helpers.sort((a, b) => b.errandsDone - a.errandsDone || b.hoursOnDuty - a.hoursOnDuty || a.helperId - b.helperId);
    return { month: monthText, communityIds, helpers };
  }
}
