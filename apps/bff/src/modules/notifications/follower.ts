import type { FastifyBaseLogger } from 'fastify';
import { CoalescedPass } from '../../infra/coalesced-pass';
import type { Database } from '../../infra/db/database';
import { sequencedEventsAfter, sequencePosition } from '../live/sequence-store';
import type { NotificationPlanner } from './planner';
import { advancePlanningCursor, lockPlanningCursor } from './store';

export interface NotificationFollowerOptions {
  /** Events planned per transaction. */
  batch: number;
  now: () => number;
  log: FastifyBaseLogger;
}

/**
 * Follows the numbered live events with a position of its own (`notification_cursor`), as a
 * gateway follows them, and plans their subscribe messages. The relay only numbers and publishes;
 * it nudges this follower afterwards, and the follower's own timer catches anything else.
 *
 * Each step is one transaction: lock the position, read the events after it, plan their messages,
 * move the position past them. A planning failure rolls the step back whole, so the position stays
 * where it was and the same events are planned on the next pass: each event yields its messages
 * exactly once, however often a pass fails, and a restart resumes from the stored position. Live
 * events never wait for it.
 */
export class NotificationFollower {
  private readonly pass = new CoalescedPass(
    () => this.drain(),
    (err) => this.options.log.error({ err }, 'notification planning failed'),
  );

  constructor(
    private readonly db: Database,
    private readonly planner: NotificationPlanner,
    private readonly options: NotificationFollowerOptions,
  ) {}

  /** New events were numbered: plan soon (coalesced with a pass already running). */
  nudge(): void {
    this.pass.nudge();
  }

  /** Plans every numbered event after the position; returns how many messages it planned. */
  runOnce(): Promise<number> {
    return this.pass.run();
  }

  private async drain(): Promise<number> {
    let planned = 0;
    for (;;) {
      const step = await this.step();
      planned += step.planned;
      if (step.events < this.options.batch) return planned;
    }
  }

  private step(): Promise<{ events: number; planned: number }> {
    return this.db.transaction(async (tx) => {
      const position = await lockPlanningCursor(tx);
      const events = await sequencedEventsAfter(tx, position, this.options.batch);
      if (events.length === 0) return { events: 0, planned: 0 };
      if (events[0]!.seq > position + 1) {
        // The sequence is dense; a hole means the relay pruned events this follower never read.
        const { prunedThrough } = await sequencePosition(tx);
        this.options.log.warn({ from: position + 1, to: events[0]!.seq - 1, prunedThrough }, 'notification planning skipped pruned events');
      }
      const planned = await this.planner.planNotifications(tx, events, this.options.now());
      await advancePlanningCursor(tx, events[events.length - 1]!.seq);
      return { events: events.length, planned };
    });
  }

  stop(): Promise<void> {
    return this.pass.stop();
  }
}
