import type { ErrandCategory, ErrandItem } from '@linli/contracts';
import { num, type Database } from '../../infra/db/database';
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
  notificationsDeleted: number;
}

const BATCH = 500;

/**
 * Brief §7: personal data is kept no longer than it is useful. Closed errands past the retention
 * period lose what people typed (item names, notes, rating comments, the free-text notes of their
 * timeline); expired idempotency records (each holds a full errand view, address and phone
 * included) and sessions go at once; finished subscribe messages go after their own period.
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
    const keys = await this.db.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', [t]);
    const sessions = await this.db.run('DELETE FROM sessions WHERE expires_at <= ?', [t]);
    const notifications = await this.db.run("DELETE FROM notifications WHERE status <> 'pending' AND created_at < ?", [
      retentionCutoff(t, this.settings.notificationDays),
    ]);
    return {
      errandsMinimised,
      idempotencyKeysDeleted: keys.affectedRows,
      sessionsDeleted: sessions.affectedRows,
      notificationsDeleted: notifications.affectedRows,
    };
  }

  private async minimiseClosedErrands(cutoff: number, t: number): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await this.db.all<{ id: unknown; category: string; items_json: string }>(
        `SELECT id, category, items_json FROM errands
          WHERE status IN ('completed', 'cancelled') AND minimised_at IS NULL AND COALESCE(completed_at, cancelled_at, updated_at) < ?
          ORDER BY id LIMIT ?`,
        [cutoff, BATCH],
      );
      if (rows.length === 0) return done;
      await this.db.transaction(async (tx) => {
        for (const r of rows) {
          const items = minimiseItems(r.category as ErrandCategory, JSON.parse(r.items_json) as ErrandItem[]);
          await tx.run(
            'UPDATE errands SET items_json = ?, notes = NULL, rating_comment = NULL, minimised_at = ? WHERE id = ? AND minimised_at IS NULL',
            [JSON.stringify(items), t, r.id],
          );
        }
        const ids = rows.map((r) => num(r.id));
        // System notes are fixed phrases; what people wrote (reasons, delivery notes) goes.
        await tx.run(
          `UPDATE errand_events SET note = NULL WHERE errand_id IN (${ids.map(() => '?').join(', ')}) AND actor_role <> 'system'`,
          ids,
        );
      });
      done += rows.length;
      if (rows.length < BATCH) return done;
    }
  }
}
