import type { Database } from '../../infra/db/database';
import { purgeExpiredSessions, purgeExpiredWebsiteStates } from '../auth/store';
import { closedErrandsToMinimise, minimiseErrands, purgeExpiredIdempotencyKeys } from '../errands/retention-store';
import { purgeFinishedNotifications } from '../notifications/store';
import { minimiseItems, retentionCutoff } from './domain';

export interface RetentionSettings {
  /** Closed (completed or cancelled) errands keep their free text this long. */
  errandDays: number;
  /** Sent, refused, failed or obsolete subscribe messages (they hold openids) are kept this long. */
  notificationDays: number;
  /** How often each instance runs the clean-up; 0 = never (tests run it). */
  intervalMinutes: number;
}

export interface RetentionReport {
  errandsMinimised: number;
  idempotencyKeysDeleted: number;
  sessionsDeleted: number;
  websiteStatesDeleted: number;
  notificationsDeleted: number;
}

const BATCH = 500;

/**
 * Brief §7: personal data is kept no longer than it is useful. Closed errands past the retention
 * period lose what people typed (item names, notes, rating comments, the free-text notes of their
 * timeline); expired idempotency records (each holds a full errand view, address and phone
 * included), sessions and spent website-login states go at once; finished subscribe messages go after their own period.
 * What staff count on — who helped whom, when, what kind of goods — stays. Every step is
 * idempotent, so instances running it at the same time only repeat work.
 */
export class RetentionJob {
  constructor(
    private readonly db: Database,
    private readonly settings: RetentionSettings,
    private readonly now: () => number,
  ) {}

  async runOnce(): Promise<RetentionReport> {
    const t = this.now();
    const errandsMinimised = await this.minimiseClosedErrands(retentionCutoff(t, this.settings.errandDays), t);
    const idempotencyKeysDeleted = await purgeExpiredIdempotencyKeys(this.db, t);
    const sessionsDeleted = await purgeExpiredSessions(this.db, t);
    const websiteStatesDeleted = await purgeExpiredWebsiteStates(this.db, t);
    const notificationsDeleted = await purgeFinishedNotifications(this.db, retentionCutoff(t, this.settings.notificationDays));
    return { errandsMinimised, idempotencyKeysDeleted, sessionsDeleted, websiteStatesDeleted, notificationsDeleted };
  }

  /** The policy (what of an errand is kept) is this module's; the errands module owns the rows. */
  private async minimiseClosedErrands(cutoff: number, t: number): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await closedErrandsToMinimise(this.db, cutoff, BATCH);
      if (rows.length === 0) return done;
      const minimised = rows.map((r) => ({ id: r.id, items: minimiseItems(r.category, r.items) }));
      await this.db.transaction((tx) => minimiseErrands(tx, minimised, t));
      done += rows.length;
      if (rows.length < BATCH) return done;
    }
  }
}
