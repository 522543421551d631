import type { ErrandView } from '@linli/contracts';
import { InsertIdOf, type Statement } from '../../infra/db/database';
import type { ErrandHousehold } from '../community/household-store';
import { deadlinesInsertStatement, type NewDeadline } from '../dispatch/deadline-store';
import { offersInsertStatement } from '../dispatch/offer-store';
import { outboxInsertStatement, type OutboxRow } from '../live/outbox';
import type { CreateRequest } from './create';
import { errandInsertStatement, type NewErrandRow } from './create-store';
import type { FirstRound } from './dispatching';
import { QUEUE_RANK_BASE, relationTo, type ErrandRecord, type TimelineRow } from './domain';
import { toErrandView } from './views';
import { newErrandCountsStatement } from './status-count-store';
import { eventsInsertStatement } from './transition-store';

// What a create writes when its first round is decided before the errand exists: every statement
// of its last packet, and the view of what they write (assembled, never read back).

/** The statements writing the errand after its first round, and the view of what they write. */
export function firstRoundWrites(
  req: CreateRequest,
  pending: NewErrandRow,
  round: Exclude<FirstRound, null>,
  household: ErrandHousehold,
  t: number,
): { statements: Statement[]; view: ErrandView } {
  const id = new InsertIdOf(0);
  const offered = round.outcome === 'offered';
  const errand: NewErrandRow = { ...pending, status: offered ? 'offered' : 'pending', dispatchRound: round.round, version: 2 };
  const events: TimelineRow[] = [
    { at: t, from: null, to: 'pending', actorRole: req.submitterRole, actorUserId: req.actor.userId, note: req.note },
    ...(offered
      ? [{ at: t, from: 'pending' as const, to: 'offered' as const, actorRole: 'system' as const, actorUserId: null, note: round.note }]
      : []),
  ];
  const place = { communityId: errand.communityId };
  const outbox: OutboxRow[] = [
    {
      type: 'errand.updated',
      ...place,
      errandId: id,
      errandPublicId: errand.publicId,
      status: errand.status,
      householdId: errand.householdId,
      userId: errand.requesterId,
      helperId: null,
      staffCommunityId: null,
    },
    {
      type: 'queue.changed',
      ...place,
      errandId: null,
      errandPublicId: null,
      status: null,
      householdId: null,
      userId: null,
      helperId: null,
      staffCommunityId: errand.communityId,
    },
    ...(offered
      ? round.offers.map((o): OutboxRow => ({
          type: 'offer.created',
          ...place,
          errandId: id,
          errandPublicId: errand.publicId,
          status: null,
          householdId: null,
          userId: null,
          helperId: o.helperId,
          staffCommunityId: null,
        }))
      : []),
  ];
  const deadlines = [
    ...slaDeadline(errand, id),
    offered
      ? {
          kind: 'round_end' as const,
          errandId: id,
          communityId: errand.communityId,
          round: round.round,
          priority: round.priority,
          dueAt: round.expiresAt,
        }
      : {
          kind: 'dispatch_retry' as const,
          errandId: id,
          communityId: errand.communityId,
          round: round.round,
          priority: round.priority,
          dueAt: round.retryAt,
        },
  ];
  const statements = [
    errandInsertStatement(errand),
    eventsInsertStatement({ id, communityId: errand.communityId }, events),
    newErrandCountsStatement(
      errand.communityId,
      errand.slaTier,
      events.map((e) => e.to),
    ),
    ...(offered
      ? [offersInsertStatement({ errandId: id, communityId: errand.communityId, round: round.round }, round.offers, t, round.expiresAt)]
      : []),
    outboxInsertStatement(outbox, t),
    deadlinesInsertStatement(deadlines, t),
  ];
  return { statements, view: newErrandView(req, errand, household, events) };
}

/** A red errand must not wait unseen past its due time: the sweeper looks at it then (see dispatching.ts). */
export function slaDeadline<I>(errand: NewErrandRow, id: I): (Omit<NewDeadline, 'errandId'> & { errandId: I })[] {
  if (errand.slaTier !== 'red') return [];
  return [
    {
      kind: 'sla_due',
      errandId: id,
      communityId: errand.communityId,
      round: 0,
      priority: QUEUE_RANK_BASE - errand.queueRank,
      dueAt: errand.dueAt,
    },
  ];
}

function newErrandView(req: CreateRequest, e: NewErrandRow, h: ErrandHousehold, timeline: TimelineRow[]): ErrandView {
  const record: ErrandRecord = {
    // Not part of any view; the database assigns it in the same packet.
    id: 0,
    publicId: e.publicId,
    communityId: e.communityId,
    compoundId: e.compoundId,
    buildingId: e.buildingId,
    householdId: e.householdId,
    requesterId: e.requesterId,
    onBehalf: e.onBehalf,
    category: req.input.category,
    items: req.input.items,
    heavy: e.heavy,
    urgency: req.input.urgency,
    vulnerable: e.vulnerable,
    windowStart: e.windowStart,
    windowEnd: e.windowEnd,
    notes: e.notes,
    status: e.status,
    helperId: null,
    handoverCode: e.handoverCode,
    version: e.version,
    dispatchRound: e.dispatchRound,
    ratingStars: null,
    ratingComment: null,
    createdAt: e.createdAt,
    updatedAt: e.createdAt,
    acceptedAt: null,
    slaTier: e.slaTier,
    dueAt: e.dueAt,
    compoundName: h.compoundName,
    lockdown: h.compoundLockdown,
    buildingName: h.buildingName,
    hasLift: h.hasLift,
    unit: h.unit,
    floor: h.floor,
    room: h.room,
    contactName: h.contactName,
    contactPhone: h.phone,
    helperName: null,
    helperPhone: null,
    helperKind: null,
    dutyPhone: h.dutyPhone,
  };
  return toErrandView(record, relationTo(req.actor, record, false) ?? 'household', timeline, req.actor.userId);
}
