import { defineEntity, p } from '@mikro-orm/core';
import { NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from './domain';

/**
 * A WeChat subscribe message to send, planned from one live event in the relay's transaction.
 * The message is rendered when planned (openid, template, page, data), so sending needs no joins.
 * Senders in every instance claim due rows with a lease on `next_attempt_at`.
 */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  // The sender's due query: pending rows whose next attempt has come, oldest first.
  indexes: [{ properties: ['status', 'nextAttemptAt'] }, { properties: ['errandId'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** The outbox event it was planned from: one event, at most one message. */
    eventSeq: p.bigint('number').unique(),
    kind: p.enum([...NOTIFICATION_KINDS]),
    communityId: p.integer(),
    userId: p.integer(),
    openid: p.string().length(64),
    errandId: p.bigint('number'),
    templateId: p.string().length(128),
    page: p.string().length(200),
    /** `{key: {value}}` exactly as WeChat receives it. */
    dataJson: p.text(),
    status: p.enum([...NOTIFICATION_STATUSES]),
    attempts: p.integer().default(0),
    /** When a sender may next take it: due time while pending, lease end while one is sending it. */
    nextAttemptAt: p.bigint('number'),
    /** WeChat's errcode and a short reason; never tokens, openids or message text. */
    lastError: p.string().length(200).nullable(),
    createdAt: p.bigint('number'),
    sentAt: p.bigint('number').nullable(),
  },
});

/**
 * One row (id 1): how far the planner has read the numbered live events. The planner follows the
 * sequence the relay hands out, as a gateway does, in transactions of its own: a planner that
 * fails stays behind and catches up later; it never holds up the relay.
 */
export const NotificationCursor = defineEntity({
  name: 'NotificationCursor',
  tableName: 'notification_cursor',
  properties: {
    id: p.integer().primary(),
    /** Every event up to this `seq` has had its messages planned. */
    plannedThrough: p.bigint('number'),
  },
});
