import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import { num, type Database } from '../../infra/db/database';
import { WechatAccessTokens } from '../../infra/wechat/access-token';
import { SubscribeMessageClient, type SendOutcome, type SubscribeMessage } from '../../infra/wechat/subscribe';
import { hasOpenOffer } from '../dispatch/read-store';
import { helperIdOfUser } from '../helpers/read-store';
import { backoffDelay, type NotificationKind, type NotificationStatus } from './domain';

export interface NotificationSenderOptions {
  db: Database;
  config: Config;
  now: () => number;
  log: FastifyBaseLogger;
  /** Defaults to subscribeMessage.send with this instance's own token client on `db`. */
  messages?: Pick<SubscribeMessageClient, 'sendSubscribeMessage'>;
  /** Jitter source for the backoff (tests may pin it). */
  random?: () => number;
}

/** What to write after an attempt; `nextAttemptAt` only when it stays pending. */
interface Outcome {
  status: NotificationStatus;
  lastError: string | null;
  nextAttemptAt?: number;
}

interface Claimed {
  id: number;
  kind: NotificationKind;
  userId: number;
  errandId: number;
  attempts: number;
  message: SubscribeMessage;
}

/**
 * Sends the planned subscribe messages. Runs in every BFF instance:
 *
 *   const sender = new NotificationSender({ db, config, now, log });
 *   await sender.runOnce();    // a job (infra/jobs.ts) every notifications.sendIntervalMs; 0 = off, tests call it
 *   await sender.stop();       // on shutdown, after the current pass
 *
 * Each due row is claimed on its own with a conditional UPDATE that pushes `next_attempt_at` a
 * lease ahead: only one sender's UPDATE matches, and the others skip the row until the lease
 * ends. The send happens outside any transaction (no row lock held across an HTTP call), then
 * the outcome is recorded only if the lease is still ours. A sender that dies mid-send leaves
 * the row to be taken again when the lease ends, so a message is sent at least once and, while
 * senders live, at most once.
 */
export class NotificationSender {
  private running: Promise<number> | null = null;
  private readonly messages: Pick<SubscribeMessageClient, 'sendSubscribeMessage'>;

  constructor(private readonly options: NotificationSenderOptions) {
    const { db, config, now } = options;
    this.messages = options.messages ?? new SubscribeMessageClient(config.wechat, new WechatAccessTokens(db, config.wechat, now));
  }

  private get settings() {
    return this.options.config.notifications;
  }

  /** One pass: tries up to `batch` due messages; returns how many it took (whatever became of them). */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const { db, now, log } = this.options;
    // Oldest planned first, so after an outage one person's messages still arrive in the order things happened.
    const due = await db.all<{ id: unknown }>(
      "SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
      [now(), this.settings.batch],
    );
    let taken = 0;
    for (const { id } of due) {
      try {
        const claimed = await this.claim(num(id));
        if (!claimed) continue; // another sender has it
        taken++;
        await this.deliver(claimed);
      } catch (err) {
        // The lease runs out and the row is tried again; nothing else to undo.
        log.error({ err, notification: num(id) }, 'notification pass failed on one message');
      }
    }
    return taken;
  }

  private async claim(id: number): Promise<Claimed | null> {
    const { db, now } = this.options;
    const at = now();
    const won = await db.run(
      "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?",
      [at + this.settings.leaseMs, id, at],
    );
    if (won.affectedRows !== 1) return null;
    const r = await db.one(
      'SELECT kind, user_id, errand_id, openid, template_id, page, data_json, attempts FROM notifications WHERE id = ?',
      [id],
    );
    if (!r) return null;
    return {
      id,
      kind: r.kind as NotificationKind,
      userId: num(r.user_id),
      errandId: num(r.errand_id),
      attempts: num(r.attempts),
      message: {
        touser: String(r.openid),
        template_id: String(r.template_id),
        page: String(r.page),
        data: JSON.parse(String(r.data_json)) as SubscribeMessage['data'],
        miniprogram_state: this.settings.miniprogramState,
        lang: 'zh_CN',
      },
    };
  }

  private async deliver(n: Claimed): Promise<void> {
    if (n.kind === 'offer_created' && !(await this.offerStillOpen(n))) {
      // A "new offer" for an errand someone else took, or that expired, only confuses.
      await this.record(n, { status: 'obsolete', lastError: null });
      return;
    }
    const outcome = await this.messages.sendSubscribeMessage(n.message);
    await this.record(n, this.nextState(n, outcome));
  }

  private nextState(n: Claimed, outcome: SendOutcome): Outcome {
    const { log, now, random } = this.options;
    switch (outcome.kind) {
      case 'sent':
        return { status: 'sent', lastError: null };
      case 'refused':
        return { status: 'refused', lastError: outcome.reason };
      case 'rejected':
        log.warn({ notification: n.id, kind: n.kind, errcode: outcome.errcode }, 'WeChat rejected a subscribe message');
        return { status: 'failed', lastError: outcome.reason };
      case 'retry':
        if (n.attempts >= this.settings.maxAttempts) {
          log.warn({ notification: n.id, kind: n.kind, reason: outcome.reason }, 'subscribe message given up after its last attempt');
          return { status: 'failed', lastError: outcome.reason };
        }
        return {
          status: 'pending',
          lastError: outcome.reason,
          nextAttemptAt:
            now() + backoffDelay(n.attempts, { baseMs: this.settings.backoffBaseMs, maxMs: this.settings.backoffMaxMs }, random),
        };
    }
  }

  private async offerStillOpen(n: Claimed): Promise<boolean> {
    const { db, now } = this.options;
    const helperId = await helperIdOfUser(db, n.userId);
    return helperId !== null && (await hasOpenOffer(db, n.errandId, helperId, now()));
  }

  /** Writes the outcome only while the row is still ours: same attempt, still pending. */
  private async record(n: Claimed, next: Outcome): Promise<void> {
    const at = this.options.now();
    await this.options.db.run(
      `UPDATE notifications SET status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), sent_at = ?
        WHERE id = ? AND status = 'pending' AND attempts = ?`,
      [
        next.status,
        next.lastError?.slice(0, 200) ?? null,
        next.nextAttemptAt ?? null,
        next.status === 'sent' ? at : null,
        n.id,
        n.attempts,
      ],
    );
  }

  /** For the job runner: resolves when the pass in flight has finished. */
  async stop(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
