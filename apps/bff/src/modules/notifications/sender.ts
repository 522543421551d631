import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import type { Database } from '../../infra/db/database';
import { WechatAccessTokens } from '../../infra/wechat/access-token';
import { SubscribeMessageClient, type SendOutcome, type SubscribeMessage } from '../../infra/wechat/subscribe';
import { hasOpenOffer } from '../dispatch/offer-store';
import { helperIdOfUser } from '../helpers/store';
import { backoffDelay } from './domain';
import {
  claimNotification,
  dueNotificationIds,
  recordNotificationOutcome,
  type ClaimedNotification,
  type NotificationOutcome,
} from './store';

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

interface Claimed extends ClaimedNotification {
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
    const due = await dueNotificationIds(db, now(), this.settings.batch);
    let taken = 0;
    for (const id of due) {
      try {
        const claimed = await this.claim(id);
        if (!claimed) continue; // another sender has it
        taken++;
        await this.deliver(claimed);
      } catch (err) {
        // The lease runs out and the row is tried again; nothing else to undo.
        log.error({ err, notification: id }, 'notification pass failed on one message');
      }
    }
    return taken;
  }

  private async claim(id: number): Promise<Claimed | null> {
    const { db, now } = this.options;
    const n = await claimNotification(db, id, now(), this.settings.leaseMs);
    if (!n) return null;
    return {
      ...n,
      message: {
        touser: n.openid,
        template_id: n.templateId,
        page: n.page,
        data: n.data,
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

  private nextState(n: Claimed, outcome: SendOutcome): NotificationOutcome {
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

  private async record(n: Claimed, next: NotificationOutcome): Promise<void> {
    await recordNotificationOutcome(this.options.db, n, next, this.options.now());
  }

  /** For the job runner: resolves when the pass in flight has finished. */
  async stop(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
