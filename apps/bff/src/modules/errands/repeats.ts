import type { z } from 'zod';
import type { ErrandCategory, ErrandItem, RepeatView, Urgency } from '@linli/contracts';
import type { Database, Sql } from '../../infra/db/database';
import { AppError, notFound } from '../../errors';
import type { AuthUser } from '../auth/actor';
import type { OccurrenceResult } from '../recurrence/runner';
import { DAY_MS } from '../recurrence/domain';
import { activeTasksOfOwner, endTask, scheduleTask, taskOfOwner, type RecurringTaskRow } from '../recurrence/store';
import { householdIdOfUser } from '../community/household-read-store';
import type { ErrandService } from './service';
import { requireRecord } from './store';

type Repeat = z.infer<typeof RepeatView>;
interface RepeatPayload {
  category: ErrandCategory;
  items: ErrandItem[];
  heavy: boolean;
  urgency: Urgency;
  notes?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toRepeat(task: RecurringTaskRow): Repeat {
  const p = task.payload as unknown as RepeatPayload;
  return {
    id: task.id,
    everyDays: task.cadenceDays,
    category: p.category,
    items: p.items,
    nextRunAt: iso(task.nextRunAt),
    lastResult: (task.lastResult ?? null) as Repeat['lastResult'],
    lastRunAt: task.lastRunAt === null ? null : iso(task.lastRunAt),
  };
}

/**
 * A resident's errand repeated every few days (weekly water): each occurrence submits the same
 * items for the same household through the errand service, as the resident would, so the
 * household's open-errand cap holds (a full household skips that occurrence, and says so).
 */
export class RepeatService {
  constructor(
    private readonly db: Database,
    private readonly errands: ErrandService,
    private readonly now: () => number,
  ) {}

  /** Repeats one of the caller's errands (their household's or one they submitted) every `everyDays`, from now on. */
  async repeat(actor: AuthUser, publicId: string, everyDays: number): Promise<Repeat> {
    const e = await requireRecord(this.db, publicId);
    if (e.requesterId !== actor.userId && e.householdId !== actor.householdId) throw notFound('没有找到这个代办');
    const t = this.now();
    const payload: RepeatPayload = {
      category: e.category,
      items: e.items,
      heavy: e.heavy,
      urgency: e.urgency,
      ...(e.notes ? { notes: e.notes } : {}),
    };
    const id = await scheduleTask(
      this.db,
      {
        kind: 'repeat_errand',
        ownerUserId: actor.userId,
        communityId: e.communityId,
        householdId: e.householdId,
        cadenceDays: everyDays,
        firstRunAt: t + everyDays * DAY_MS,
        payload: payload as unknown as Record<string, unknown>,
      },
      t,
    );
    return toRepeat((await this.task(this.db, actor.userId, id))!);
  }

  async list(actor: AuthUser): Promise<Repeat[]> {
    return (await activeTasksOfOwner(this.db, actor.userId, 'repeat_errand', 100)).map(toRepeat);
  }

  /** Stops a repeat of the caller's; someone else's (or an ended one) is not there to them. */
  async stop(actor: AuthUser, id: number): Promise<void> {
    const task = await this.task(this.db, actor.userId, id);
    if (!task || !task.active) throw notFound('没有找到这个定期代办');
    await endTask(this.db, id, this.now());
  }

  /** The recurrence handler of 'repeat_errand' tasks. */
  readonly onRepeatDue = async (tx: Sql, task: RecurringTaskRow, occurrenceAt: number): Promise<OccurrenceResult> => {
    const p = task.payload as unknown as RepeatPayload;
    const homeId = await householdIdOfUser(tx, task.ownerUserId);
    const ownHousehold = homeId === task.householdId;
    const owner: AuthUser = {
      userId: task.ownerUserId,
      roles: ['resident'],
      staffCommunityId: null,
      overseer: null,
      householdId: homeId,
      helperId: null,
      helperCommunityId: null,
      helperVerified: false,
    };
    try {
      await this.errands.createFor(
        tx,
        owner,
        { category: p.category, items: p.items, heavy: p.heavy, urgency: p.urgency, notes: p.notes },
        {
          householdId: task.householdId,
          capExempt: false,
          onBehalf: !ownHousehold,
          submitterRole: 'resident',
          note: `定期代办（每${task.cadenceDays}天）自动提交`,
        },
        // One errand per occurrence, even if this occurrence were run again.
        `repeat-${task.id}-${occurrenceAt}`,
      );
      return { result: 'created' };
    } catch (err) {
      if (err instanceof AppError && err.code === 'TOO_MANY_OPEN_ERRANDS') return { result: 'skipped_cap' };
      if (err instanceof AppError && err.code === 'HOUSEHOLD_REQUIRED') return { result: 'ended', end: true };
      throw err;
    }
  };

  private async task(sql: Sql, ownerUserId: number, id: number): Promise<RecurringTaskRow | null> {
    return taskOfOwner(sql, id, ownerUserId, 'repeat_errand');
  }
}
