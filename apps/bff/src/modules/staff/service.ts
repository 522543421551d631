import type { z } from 'zod';
import {
  maskName,
  maskPhone,
  ERRAND_STATUSES,
  type ErrandStatus,
  type QueueEntry,
  type SlaConfig,
  type SlaTier,
  type StaffErrandHistory,
  type StaffErrandsQuery,
  type StaffQueue,
} from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { badRequest } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { queueBadges, queuePriority, type ErrandRecord } from '../errands/domain';
import { summary } from '../errands/summary';
import { statusTierCounts, type StatusTierCounts } from '../errands/status-count-store';
import { byStatus, byTier } from '../errands/status-counts';
import { findRecords } from '../errands/store';
import { requireScope } from '../oversight/scope';
import { compareKeys, countsByFilter, decodeCursor, encodeCursor, FILTER_STATUSES, type QueueFilter } from './domain';
import { decodeHistoryCursor, encodeHistoryCursor, mergeNewestFirst } from './history-domain';
import { boundedCounts, historyPage, HOUSEHOLD_MATCH_LIMIT, type HistoryFilter } from './history-store';
import { parseSearch } from './search';
import { communityOfHousehold, householdsAtDoor, householdsByName, householdsByPhoneEnd } from '../community/household-read-store';
import { queuePage, type QueueRow } from './store';
import { overdueVisitCount } from '../care/store';

export type { QueueFilter } from './domain';

export interface QueuePageRequest {
  filter: QueueFilter;
  cursor?: string;
  limit: number;
  /** Only errands of this 红黄蓝 tier. */
  tier?: SlaTier;
  /** Street and district staff: one community of their scope (default: all of it). */
  communityId?: number;
}

export type HistoryRequest = z.output<typeof StaffErrandsQuery>;

/** Searches matching more rows than this are counted up to it (see StaffErrandHistory.counts.exact). */
const COUNT_BOUND = 2_000;

/**
 * The staff's live queue and history: every errand of their community (street and district staff:
 * of their scope, read-only), most pressing first or newest first, a page at a time.
 */
export class StaffQueueService {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly sla: SlaConfig,
  ) {}

  /**
   * Street and district desks read it (read-only scopes) with residents' names and phones masked,
   * as in the registry and the exports: only the community's own staff see them whole.
   */
  async queue(actor: AuthUser, req: QueuePageRequest): Promise<z.infer<typeof StaffQueue>> {
    const { communityIds, readOnly } = await this.communitiesOf(actor, req.communityId);
    const after = req.cursor === undefined ? null : decodeCursor(req.cursor);
    const statuses = FILTER_STATUSES[req.filter];
    const tier = req.tier ?? null;
    // One row past the page says whether there is a next one.
    const [perCommunity, counts, overdueVisits] = await Promise.all([
      Promise.all(communityIds.map((c) => queuePage(this.db, c, statuses, after, req.limit + 1, tier))),
      this.counts(communityIds),
      Promise.all(communityIds.map((c) => overdueVisitCount(this.db, c))).then((n) => n.reduce((x, y) => x + y, 0)),
    ]);
    const rows: QueueRow[] = perCommunity
      .flat()
      .sort((a, b) => compareKeys(a.key, b.key))
      .slice(0, req.limit + 1);
    const page = rows.slice(0, req.limit);
    return {
      items: await this.entries(
        page.map((r) => r.id),
        readOnly,
      ),
      nextCursor: rows.length > req.limit ? encodeCursor(page[page.length - 1]!.key) : null,
      counts: countsByFilter(byStatus(counts, tier === null ? undefined : [tier])),
      tierCounts: byTier(counts, statuses),
      overdueVisits,
    };
  }

  /** History and search over open and closed errands, newest first. */
  async history(actor: AuthUser, req: HistoryRequest): Promise<z.infer<typeof StaffErrandHistory>> {
    const { communityIds, readOnly } = await this.communitiesOf(actor, req.communityId);
    const statuses = req.status ? ([...new Set(req.status.split(','))] as ErrandStatus[]) : [...ERRAND_STATUSES];
    const after = req.cursor === undefined ? null : decodeHistoryCursor(req.cursor);
    const base = {
      statuses,
      tier: req.tier ?? null,
      compoundId: req.compoundId ?? null,
      buildingId: req.buildingId ?? null,
      category: req.category ?? null,
      helperId: req.helperId ?? null,
      createdFrom: req.createdFrom ? Date.parse(req.createdFrom) : null,
      createdTo: req.createdTo ? Date.parse(req.createdTo) : null,
    };
    if (base.createdFrom !== null && base.createdTo !== null && base.createdFrom >= base.createdTo) {
      throw badRequest('BAD_DATE_RANGE', '开始时间须早于结束时间');
    }
    // Asked once, not per community of a street's or district's scope.
    const household =
      req.householdId === undefined
        ? undefined
        : { id: req.householdId, communityId: await communityOfHousehold(this.db, req.householdId) };
    const filters = await Promise.all(communityIds.map((c) => this.filterFor(c, base, req.q, household)));
    const pages = await Promise.all(filters.map((f) => historyPage(this.db, f, after, req.limit + 1)));
    const rows = mergeNewestFirst(pages).slice(0, req.limit + 1);
    const page = rows.slice(0, req.limit);
    return {
      items: await this.entries(
        page.map((r) => r.id),
        readOnly,
      ),
      nextCursor: rows.length > req.limit ? encodeHistoryCursor(page[page.length - 1]!.key) : null,
      counts: await this.historyCounts(communityIds, filters),
    };
  }

  /** A search so vague that it found more households than are searched: its list and counts are partial. */
  private static partial(filters: HistoryFilter[]): boolean {
    return filters.some((f) => f.householdIds !== null && f.householdIds.length >= HOUSEHOLD_MATCH_LIMIT);
  }

  /**
   * Status and tier alone: exact, from the kept counts. Anything else: the matching rows counted,
   * up to COUNT_BOUND per community.
   */
  private async historyCounts(communityIds: number[], filters: HistoryFilter[]): Promise<z.infer<typeof StaffErrandHistory>['counts']> {
    const f0 = filters[0]!;
    const plain =
      f0.compoundId === null &&
      f0.buildingId === null &&
      f0.category === null &&
      f0.helperId === null &&
      f0.createdFrom === null &&
      f0.createdTo === null &&
      f0.householdIds === null &&
      f0.publicId === null;
    const perStatus = Object.fromEntries(ERRAND_STATUSES.map((s) => [s, 0])) as Record<ErrandStatus, number>;
    const perTier: Record<SlaTier, number> = { red: 0, yellow: 0, blue: 0 };
    let exact = true;
    const add = (status: ErrandStatus, tier: SlaTier, n: number) => {
      if (!f0.statuses.includes(status) || (f0.tier !== null && f0.tier !== tier)) return;
      perStatus[status] += n;
      perTier[tier] += n;
    };
    if (plain) {
      const counts = await this.counts(communityIds);
      for (const [status, tiers] of Object.entries(counts)) {
        for (const [tier, n] of Object.entries(tiers)) add(status as ErrandStatus, tier as SlaTier, n ?? 0);
      }
    } else {
      for (const counted of await Promise.all(filters.map((f) => boundedCounts(this.db, f, COUNT_BOUND)))) {
        if (counted.reached) exact = false;
        for (const r of counted.rows) add(r.status, r.tier, r.n);
      }
    }
    if (StaffQueueService.partial(filters)) exact = false;
    return { byStatus: perStatus, byTier: perTier, total: Object.values(perTier).reduce((a, b) => a + b, 0), exact };
  }

  private async filterFor(
    communityId: number,
    base: Omit<HistoryFilter, 'communityId' | 'householdIds' | 'publicId'>,
    q?: string,
    household?: { id: number; communityId: number | null },
  ) {
    const f: HistoryFilter = { ...base, communityId, householdIds: null, publicId: null };
    if (q !== undefined) {
      const search = parseSearch(q);
      if (search.kind === 'errand') f.publicId = search.publicId;
      else if (search.kind === 'phone')
        f.householdIds = await householdsByPhoneEnd(this.db, communityId, search.last4, HOUSEHOLD_MATCH_LIMIT);
      else if (search.kind === 'door') f.householdIds = await householdsAtDoor(this.db, communityId, search.door, HOUSEHOLD_MATCH_LIMIT);
      else f.householdIds = await householdsByName(this.db, communityId, search.prefix, HOUSEHOLD_MATCH_LIMIT);
    }
    if (household !== undefined) {
      // Another community's household matches nothing here: its errands are not this desk's to read.
      const own = household.communityId === communityId ? [household.id] : [];
      f.householdIds = f.householdIds === null ? own : f.householdIds.filter((id) => own.includes(id));
    }
    return f;
  }

  /** Exact errands per status and tier over the communities (summed). */
  private async counts(communityIds: number[]): Promise<StatusTierCounts> {
    const all = await Promise.all(communityIds.map((c) => statusTierCounts(this.db, c)));
    const sum: StatusTierCounts = {};
    for (const counts of all) {
      for (const [status, tiers] of Object.entries(counts)) {
        const into = (sum[status as ErrandStatus] ??= {});
        for (const [tier, n] of Object.entries(tiers)) into[tier as SlaTier] = (into[tier as SlaTier] ?? 0) + (n ?? 0);
      }
    }
    return sum;
  }

  /**
   * Which communities the caller reads: community staff their own; street and district staff one
   * of their scope (404 outside it) or all of it. Read-only either way: nothing here changes data.
   */
  private async communitiesOf(actor: AuthUser, communityId?: number): Promise<{ communityIds: number[]; readOnly: boolean }> {
    const scope = await requireScope(this.db, actor, communityId);
    return { communityIds: communityId !== undefined ? [communityId] : scope.communityIds, readOnly: scope.readOnly };
  }

  private async entries(ids: number[], masked: boolean): Promise<z.infer<typeof QueueEntry>[]> {
    const records = ids.length ? await findRecords(this.db, `e.id IN (${ids.map(() => '?').join(', ')})`, ids, '') : [];
    const byId = new Map(records.map((e) => [e.id, e]));
    const t = this.now();
    const items: z.infer<typeof QueueEntry>[] = [];
    for (const id of ids) {
      const e = byId.get(id);
      if (!e) continue; // deleted between the two reads: the cursor still moves past it
      items.push(this.entry(e, t, masked));
    }
    return items;
  }

  private entry(e: ErrandRecord, t: number, masked: boolean): z.infer<typeof QueueEntry> {
    return {
      ...summary(e, 'staff', t, this.sla),
      priority: queuePriority(e),
      ageSeconds: Math.max(0, Math.floor((t - e.createdAt) / 1000)),
      badges: queueBadges(e),
      resident: {
        name: masked ? (maskName(e.contactName) ?? '') : e.contactName,
        door: `${e.buildingName}-${e.unit}-${e.room}`,
        phone: masked ? (maskPhone(e.contactPhone) ?? '') : e.contactPhone,
      },
    };
  }
}
