import { defineEntity, p } from '@mikro-orm/core';
import { ERRAND_STATUSES, LIVE_EVENT_TYPES } from '@linli/contracts';

/**
 * The transactional outbox: every state change writes its events here in the same transaction
 * as the change. A relay later gives each committed event its `seq` (one dense sequence, in
 * publication order) and publishes it; clients resume by `seq`. Who may see an event is stored
 * with it (household, requester, helper, staff of a community), never worked out again later.
 */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  // `seq` is indexed, not unique: a unique index cannot serve the relay's `seq IS NULL ORDER BY id`
  // in order (see Migration20261130110000_outbox_seq_index); the sequence row's lock keeps it unique.
  indexes: [{ properties: ['createdAt'] }, { properties: ['seq'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** Null until the relay publishes it; then its place in the sequence clients see as the event id. */
    seq: p.bigint('number').nullable(),
    type: p.enum([...LIVE_EVENT_TYPES]),
    communityId: p.integer(),
    errandId: p.bigint('number').nullable(),
    errandPublicId: p.string().length(22).nullable(),
    status: p.enum([...ERRAND_STATUSES]).nullable(),
    /** Audience: any of these may be set; a viewer matching one of them receives the event. */
    householdId: p.integer().nullable(),
    userId: p.integer().nullable(),
    helperId: p.integer().nullable(),
    staffCommunityId: p.integer().nullable(),
    createdAt: p.bigint('number'),
  },
});

/**
 * One row (id 1): the last sequence number handed out. Relays lock it while they sequence a
 * batch, which is what keeps the sequence dense and in order across BFF instances.
 */
export const EventSequence = defineEntity({
  name: 'EventSequence',
  tableName: 'event_sequence',
  properties: {
    id: p.integer().primary(),
    lastSeq: p.bigint('number'),
    /** Events up to here have been deleted after the retention period: older positions cannot be replayed. */
    prunedThrough: p.bigint('number').default(0),
  },
});
