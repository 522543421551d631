import type { z } from 'zod';
import type { CareAssignBody, CareAssignment, CarePage, CareQuery, VisitOutcomeBody, VisitView } from '@linli/contracts';
import type { Database, Sql } from '../../infra/db/database';
import {
  assignmentOfTask,
  claimMissedVisits,
  deleteAssignment,
  handOverOwedVisits,
  hasOwedVisit,
  insertAssignment,
  insertDueVisit,
  lockVisitOfHelper,
  markVisitDone,
  pendingVisitsDue,
  recordVisitOnAssignment,
  updateAssignment,
} from './visit-store';
import { conflict, notFound, unprocessable } from '../../errors';
import { requireHelper, type AuthUser } from '../auth/actor';
import { recordAudit } from '../audit/store';
import { requireScope } from '../oversight/scope';
import type { ErrandService } from '../errands/service';
import type { OccurrenceResult } from '../recurrence/runner';
import { endTask, rescheduleTask, scheduleTask, type RecurringTaskRow } from '../recurrence/store';
import { DAY_MS } from '../recurrence/domain';
import { decodeCareCursor, doorOf, encodeCareCursor, endOfChinaDay } from './domain';
import {
  assignmentById,
  assignmentOfHousehold,
  careCounts,
  careEntry,
  carePage,
  recordCareQueueChanged,
  visitById,
  visitsOwedBy,
  type AssignmentRow,
  type CareEntryRow,
  type CareVisitRow,
} from './store';
import { communityOfHousehold } from '../community/household-read-store';
import { errandIdOfPublicId } from '../errands/store';
import { helperStanding } from '../helpers/store';

type VisitOutcomeInput = z.output<typeof VisitOutcomeBody>;
type Visit = z.infer<typeof VisitView>;
type Entry = z.infer<typeof CareAssignment>;

/** What a 需要帮助 visit asks for when the helper names nothing in particular. */
const GENERAL_HELP = { category: 'other' as const, items: [{ name: '上门帮助', quantity: 1 }], urgency: 'normal' as const };
const VISIT_TX = { readCommitted: true };
const iso = (ms: number) => new Date(ms).toISOString();

function toVisit(v: CareVisitRow): Visit {
  return {
    id: v.id,
    householdId: v.householdId,
    place: doorOf({ building: v.household.buildingName, unit: v.household.unit, room: v.household.room }),
    contactName: v.household.contactName,
    phone: v.household.phone,
    dueAt: iso(v.dueAt),
    status: v.status,
    outcome: v.outcome,
    errandId: v.errandPublicId,
  };
}

function toEntry(e: CareEntryRow): Entry {
  return {
    householdId: e.householdId,
    communityId: e.communityId,
    helperId: e.helperId,
    helperName: e.helperName,
    cadenceDays: e.cadenceDays,
    place: doorOf({ building: e.household.buildingName, unit: e.household.unit, room: e.household.room }),
    contactName: e.household.contactName,
    nextVisitDueAt: iso(e.nextVisitDueAt),
    lastVisitAt: e.lastVisitAt === null ? null : iso(e.lastVisitAt),
    lastOutcome: e.lastOutcome,
    overdue: e.overdue,
  };
}

/**
 * The 包保 care ledger: staff put a vulnerable household under a helper's care with a visit
 * cadence; a recurring task creates each visit; the helper records 平安 or 需要帮助 (which raises
 * an errand for the household); a visit left unrecorded past its window is missed, overdue to staff.
 */
export class CareService {
  constructor(
    private readonly db: Database,
    private readonly errands: ErrandService,
    private readonly settings: { missedAfterHours: number; missedBatch: number },
    private readonly now: () => number,
  ) {}

  async list(actor: AuthUser, q: z.output<typeof CareQuery>): Promise<z.infer<typeof CarePage>> {
    const scope = await requireScope(this.db, actor);
    const after = q.cursor === undefined ? null : decodeCareCursor(q.cursor);
    if (q.cursor !== undefined && !after) throw unprocessable('BAD_CURSOR', '翻页位置无效，请从第一页重新查看');
    const endOfToday = endOfChinaDay(this.now());
    const [rows, counts] = await Promise.all([
      carePage(this.db, scope.communityIds, q.filter, endOfToday, after, q.limit + 1),
      careCounts(this.db, scope.communityIds, endOfToday),
    ]);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toEntry),
      nextCursor: rows.length > q.limit && last ? encodeCareCursor({ dueAt: last.nextVisitDueAt, id: last.id }) : null,
      counts,
    };
  }

  /**
   * Puts a household under a helper's care (or changes its helper or cadence). A new assignment's
   * first visit falls due at once; a changed cadence counts from the last visit.
   */
  async assign(actor: AuthUser, householdId: number, body: z.output<typeof CareAssignBody>): Promise<Entry> {
    await requireScope(this.db, actor, undefined, { write: true });
    await this.db.transaction(async (tx) => {
      const communityId = await communityOfHousehold(tx, householdId);
      if (communityId === null) throw notFound('没有找到这户');
      await requireScope(tx, actor, communityId, { write: true });
      const helper = await helperStanding(tx, body.helperId);
      if (!helper || helper.communityId !== communityId || !helper.verified) {
        throw unprocessable('HELPER_NOT_ELIGIBLE', '包保人须是本社区已审核的党员中心户或志愿者');
      }
      const helperUserId = helper.userId;
      const t = this.now();
      const existing = await assignmentOfHousehold(tx, householdId);
      if (!existing) {
        const taskId = await scheduleTask(
          tx,
          { kind: 'visit', ownerUserId: helperUserId, communityId, householdId, cadenceDays: body.cadenceDays, firstRunAt: t, payload: {} },
          t,
        );
        await insertAssignment(tx, { householdId, communityId, helperId: body.helperId, cadenceDays: body.cadenceDays, taskId, at: t });
      } else {
        const open = await hasOwedVisit(tx, existing.id);
        const nextRunAt = open ? undefined : Math.max(t, (existing.lastVisitAt ?? t) + body.cadenceDays * DAY_MS);
        await rescheduleTask(tx, existing.taskId, { cadenceDays: body.cadenceDays, ownerUserId: helperUserId, nextRunAt }, t);
        await updateAssignment(tx, existing.id, {
          helperId: body.helperId,
          cadenceDays: body.cadenceDays,
          nextVisitDueAt: nextRunAt ?? null,
          at: t,
        });
        // The visit owed goes with the care: the new helper makes it.
        await handOverOwedVisits(tx, existing.id, body.helperId);
      }
      await recordAudit(tx, {
        communityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'care.assign',
        targetType: 'household',
        targetId: householdId,
        before: existing ? { helperId: existing.helperId, cadenceDays: existing.cadenceDays } : null,
        after: { helperId: body.helperId, cadenceDays: body.cadenceDays },
        at: t,
      });
    });
    return toEntry((await careEntry(this.db, householdId))!);
  }

  /** Ends a household's care: no more visits; one still owed is cancelled. Ending none is no error. */
  async end(actor: AuthUser, householdId: number): Promise<void> {
    await requireScope(this.db, actor, undefined, { write: true });
    await this.db.transaction(async (tx) => {
      const communityId = await communityOfHousehold(tx, householdId);
      if (communityId === null) throw notFound('没有找到这户');
      await requireScope(tx, actor, communityId, { write: true });
      const existing = await assignmentOfHousehold(tx, householdId);
      if (!existing) return;
      const t = this.now();
      await endTask(tx, existing.taskId, t);
      const cancelled = await deleteAssignment(tx, existing.id);
      if (cancelled > 0) await recordCareQueueChanged(tx, communityId, t);
      await recordAudit(tx, {
        communityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'care.end',
        targetType: 'household',
        targetId: householdId,
        before: { helperId: existing.helperId, cadenceDays: existing.cadenceDays },
        after: null,
        at: t,
      });
    });
  }

  /** The visits a helper owes (pending, and missed ones they may still record), earliest first. */
  async helperVisits(actor: AuthUser): Promise<Visit[]> {
    const helper = requireHelper(actor);
    return (await visitsOwedBy(this.db, helper.helperId)).map(toVisit);
  }

  /**
   * The helper records a visit: 平安, or 需要帮助 with what is needed, which raises an errand for
   * the household through the errand service (dispatched as any other). A helper acting on what
   * they found is not held to the household's open-errand cap, as staff taking a call are not.
   */
  async record(actor: AuthUser, visitId: number, body: VisitOutcomeInput): Promise<Visit> {
    const helper = requireHelper(actor);
    await this.db.transaction(async (tx) => {
      const v = await lockVisitOfHelper(tx, visitId, helper.helperId);
      if (!v) throw notFound('没有找到这次探访');
      if (v.status !== 'pending' && v.status !== 'missed') throw conflict('VISIT_ALREADY_RECORDED', '这次探访已经记录过了');
      const t = this.now();
      let errandId: number | null = null;
      if (body.outcome === 'needs_help') {
        const input = body.errand ?? { ...GENERAL_HELP, notes: body.note };
        const view = await this.errands.createFor(
          tx,
          actor,
          { ...input, urgency: input.urgency ?? 'normal' },
          { householdId: v.householdId, capExempt: true, onBehalf: true, submitterRole: 'helper', note: '探访发现需要帮助' },
          `care-visit-${visitId}`,
        );
        if (view) errandId = await errandIdOfPublicId(tx, view.id);
      }
      await markVisitDone(tx, visitId, { outcome: body.outcome, note: body.note ?? null, errandId, at: t });
      const a = await assignmentById(tx, v.assignmentId);
      if (a) {
        const next = t + a.cadenceDays * DAY_MS;
        await recordVisitOnAssignment(tx, a.id, { outcome: body.outcome, at: t, nextVisitDueAt: next });
        await rescheduleTask(tx, a.taskId, { nextRunAt: next }, t);
      }
      // A late record takes the visit off the staff's overdue list.
      if (v.status === 'missed') await recordCareQueueChanged(tx, v.communityId, t);
    }, VISIT_TX);
    return toVisit((await visitById(this.db, visitId))!);
  }

  /**
   * The recurrence handler of 'visit' tasks: the visit falls due, unless the helper still owes the
   * last one (it stays overdue on the staff's list; a second would only pile up).
   */
  readonly onVisitDue = async (tx: Sql, task: RecurringTaskRow, occurrenceAt: number): Promise<OccurrenceResult> => {
    const a = await assignmentOfTask(tx, task.id);
    if (!a) return { result: 'ended', end: true };
    if (await hasOwedVisit(tx, a.id)) return { result: 'still_owed' };
    await insertDueVisit(tx, {
      assignmentId: a.id,
      communityId: task.communityId,
      householdId: task.householdId,
      helperId: a.helperId,
      dueAt: occurrenceAt,
      at: this.now(),
    });
    return { result: 'created' };
  };

  /**
   * Marks visits left unrecorded past their window as missed, and tells each community's staff
   * (queue.changed). Rows are claimed as the deadline sweeper claims its own: read the ids, then
   * lock them with SKIP LOCKED and check again, so two instances never mark (or announce) one twice.
   */
  async markMissed(): Promise<number> {
    const t = this.now();
    const cutoff = t - this.settings.missedAfterHours * 3_600_000;
    const ids = await pendingVisitsDue(this.db, cutoff, this.settings.missedBatch);
    if (ids.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      const missed = await claimMissedVisits(tx, ids, cutoff);
      for (const communityId of new Set(missed.map((v) => v.communityId))) await recordCareQueueChanged(tx, communityId, t);
      return missed.length;
    }, VISIT_TX);
  }
}

export type { AssignmentRow };
