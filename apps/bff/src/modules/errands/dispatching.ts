import type { Config } from '../../config';
import type { Sql } from '../../infra/db/database';
import { findCandidateHelpers, type SearchTally } from '../dispatch/candidates';
import { scheduleDeadline, type Deadline, type NewDeadline } from '../dispatch/deadline-store';
import { needsHeavyCarrier, radiusForRound, type RankedCandidate } from '../dispatch/domain';
import { countOpenOffers, expireRoundOffers, offersInsertStatement, type NewOffer } from '../dispatch/offer-store';
import type { GeoIndex } from '../dispatch/geo-index';
import { needScore } from './domain';
import { recordOffersCreated, recordOffersWithdrawn, recordQueueChanged } from '../live/outbox';
import { advanceDispatchRound, lockDispatchContext, type DispatchContext } from './dispatch-store';
import { applyTransition, withdrawOpenOffers } from './transition-store';

type DispatchSettings = Config['dispatch'];

const roundNote = (roundInAttempt: number, offered: number) => `第${roundInAttempt}轮：已通知${offered}位接单人`;

/** What dispatch needs of an errand that has no row (or no row read) yet. */
export type NewDispatch = Omit<DispatchContext, 'id' | 'status' | 'version'>;

export type RoundOutcome = 'offered' | 'waiting' | 'escalated' | 'skipped';

/**
 * The first round of an errand not written yet, decided from one candidate read so the create
 * can write the errand in its final state with everything else in one packet. null: the round
 * would escalate at once (a single configured round and nobody near): the caller inserts the
 * errand and runs dispatchRound as for any other errand.
 */
export type FirstRound =
  | { outcome: 'offered'; round: 1; offers: NewOffer[]; expiresAt: number; priority: number; note: string }
  | { outcome: 'waiting'; round: 1; retryAt: number; priority: number }
  | null;

/**
 * Rounds of offers for one errand (brief §5): the top K candidates at once, each offer expiring
 * after the window; when a round's offers are all declined or expired, the next round searches a
 * wider radius; after N rounds with no taker the errand is escalated to staff. Every step runs in
 * the caller's transaction with the errand row locked, and deadlines are database rows.
 */
export class ErrandDispatcher {
  /** This instance's candidate searches, for /metrics. */
  readonly searchTally: SearchTally = { searches: 0, widened: 0 };

  constructor(
    private readonly geo: GeoIndex,
    private readonly settings: DispatchSettings,
    private readonly now: () => number,
  ) {}

  /**
   * Runs the next round for a pending errand. `fresh` is the context of an errand this very
   * transaction inserted or already locked and changed, which saves reading it back.
   */
  async dispatchRound(tx: Sql, errandId: number, fresh?: DispatchContext): Promise<RoundOutcome> {
    const e = fresh ?? (await lockDispatchContext(tx, errandId));
    if (e.status !== 'pending') return 'skipped';
    const t = this.now();
    const round = e.dispatchRound + 1;
    const roundInAttempt = round - e.attemptStartRound + 1;
    if (roundInAttempt > this.settings.rounds) return this.escalate(tx, e, t);

    const candidates = await this.candidates(tx, e.id, e, roundInAttempt, t);
    const priority = needScore(e);
    if (candidates.length === 0) {
      await advanceDispatchRound(tx, e.id, round, t);
      if (roundInAttempt >= this.settings.rounds) return this.escalate(tx, { ...e, version: e.version + 1 }, t, 'nobody_free');
      // Nobody free nearby yet: try again a little later, wider. Retries run most pressing first.
      const dueAt = t + this.settings.retryDelaySeconds * 1000;
      await scheduleDeadline(tx, { kind: 'dispatch_retry', errandId: e.id, communityId: e.communityId, round, priority, dueAt }, t);
      return 'waiting';
    }

    const expiresAt = t + this.settings.offerWindowSeconds * 1000;
    const offers = offersInsertStatement({ errandId: e.id, communityId: e.communityId, round }, candidates, t, expiresAt);
    await tx.run(offers.sql, offers.params);
    await applyTransition(tx, {
      errand: e,
      step: 'offer',
      actor: { userId: null, role: 'system' },
      set: { dispatch_round: round },
      note: roundNote(roundInAttempt, candidates.length),
      now: t,
    });
    await recordOffersCreated(tx, e.id, round, t);
    await scheduleDeadline(tx, { kind: 'round_end', errandId: e.id, communityId: e.communityId, round, priority, dueAt: expiresAt }, t);
    return 'offered';
  }

  async planFirstRound(tx: Sql, e: NewDispatch): Promise<FirstRound> {
    if (this.settings.rounds < 1) return null;
    const t = this.now();
    const candidates = await this.candidates(tx, null, e, 1, t);
    const priority = needScore(e);
    if (candidates.length === 0) {
      if (this.settings.rounds <= 1) return null;
      return { outcome: 'waiting', round: 1, retryAt: t + this.settings.retryDelaySeconds * 1000, priority };
    }
    return {
      outcome: 'offered',
      round: 1,
      offers: candidates.map((c) => ({ helperId: c.helperId, distanceM: c.distanceM })),
      expiresAt: t + this.settings.offerWindowSeconds * 1000,
      priority,
      note: roundNote(1, candidates.length),
    };
  }

  /** The round's best helpers for the errand (`errandId` null: not inserted yet, so no offers to leave out). */
  private candidates(tx: Sql, errandId: number | null, e: NewDispatch, roundInAttempt: number, t: number): Promise<RankedCandidate[]> {
    return findCandidateHelpers(
      tx,
      this.geo,
      {
        id: errandId,
        communityId: e.communityId,
        buildingId: e.buildingId,
        location: { lat: e.lat, lng: e.lng },
        needs: {
          requesterUserId: e.requesterId,
          needsHeavyCarrier: needsHeavyCarrier(e, this.settings.heavyFloorAbove),
          radiusM: radiusForRound(roundInAttempt, this.settings.radiiMeters),
        },
      },
      this.settings.weights,
      this.settings.offersPerRound,
      t,
      this.searchTally,
    );
  }

  /** A round is over when its window ends or its last open offer is declined: next round. */
  async endRound(tx: Sql, errandId: number, round: number, reason: 'expired' | 'declined'): Promise<RoundOutcome> {
    const e = await lockDispatchContext(tx, errandId);
    if (e.status !== 'offered' || e.dispatchRound !== round) return 'skipped';
    const t = this.now();
    if (reason === 'declined') {
      if ((await countOpenOffers(tx, e.id)) > 0) return 'skipped';
    } else {
      await recordOffersWithdrawn(tx, e.id, t, round);
      await expireRoundOffers(tx, e.id, round, t);
    }
    // The last round ended without a taker: straight to staff.
    if (round - e.attemptStartRound + 1 >= this.settings.rounds) return this.escalate(tx, e, t);
    const version = await applyTransition(tx, {
      errand: e,
      step: 'lapse',
      actor: { userId: null, role: 'system' },
      note: reason === 'expired' ? '暂无人接单，扩大范围继续派单' : '接单人暂时无法接单，扩大范围继续派单',
      now: t,
    });
    // Still locked by this transaction, and only its status and version changed: no need to read it again.
    return this.dispatchRound(tx, errandId, { ...e, status: 'pending', version });
  }

  async handleDeadline(tx: Sql, d: Deadline): Promise<void> {
    if (d.kind === 'round_end') await this.endRound(tx, d.errandId, d.round, 'expired');
    else if (d.kind === 'dispatch_retry') await this.retry(tx, d);
    else if (d.kind === 'sla_due') await this.slaDue(tx, d.errandId);
    else await this.autoConfirm(tx, d.errandId);
  }

  /** Delivered errands nobody confirmed are confirmed after the configured time. */
  scheduleAutoConfirm(tx: Sql, e: { id: number; communityId: number }): Promise<void> {
    const t = this.now();
    return scheduleDeadline(tx, this.autoConfirmDeadline(e, t), t);
  }

  /** The auto-confirm deadline of an errand delivered at `t` (the delivery's batch inserts it). */
  autoConfirmDeadline(e: { id: number; communityId: number }, t: number): NewDeadline {
    const dueAt = t + this.settings.autoConfirmHours * 3_600_000;
    return { kind: 'auto_confirm', errandId: e.id, communityId: e.communityId, round: 0, priority: 0, dueAt };
  }

  private async retry(tx: Sql, d: Deadline): Promise<void> {
    const e = await lockDispatchContext(tx, d.errandId);
    if (e.status === 'pending' && e.dispatchRound === d.round) await this.dispatchRound(tx, d.errandId);
  }

  /**
   * A red errand reached its due time. Nobody has it yet (waiting or offered): it goes to staff
   * (escalated), its open offers withdrawn. A helper has it but has not delivered: its status
   * stays, and staff's queue is told (queue.changed) so the overdue flag shows at once. Delivered,
   * cancelled or already with staff: nothing to do.
   */
  private async slaDue(tx: Sql, errandId: number): Promise<void> {
    const e = await lockDispatchContext(tx, errandId);
    const t = this.now();
    if (e.status === 'pending' || e.status === 'offered') {
      await withdrawOpenOffers(tx, e.id, t);
      await applyTransition(tx, {
        errand: e,
        step: 'escalate',
        actor: { userId: null, role: 'system' },
        note: '红色代办已超时无人接单，已转社区工作者处理',
        now: t,
      });
    } else if (e.status === 'accepted' || e.status === 'in_progress') {
      await recordQueueChanged(tx, e.id, t);
    }
  }

  private async autoConfirm(tx: Sql, errandId: number): Promise<void> {
    const e = await lockDispatchContext(tx, errandId);
    if (e.status !== 'delivered') return;
    const t = this.now();
    await applyTransition(tx, {
      errand: e,
      step: 'confirm',
      actor: { userId: null, role: 'system' },
      set: { completed_at: t },
      note: '送达后无人确认，系统自动确认',
      now: t,
    });
  }

  /**
   * To staff after the last round: its offers lapsed unanswered, or (`nobody_free`) it found nobody
   * free to offer it to, which the resident's timeline must not call "nobody answered".
   */
  private async escalate(tx: Sql, e: DispatchContext, t: number, why: 'unanswered' | 'nobody_free' = 'unanswered'): Promise<RoundOutcome> {
    await applyTransition(tx, {
      errand: e,
      step: 'escalate',
      actor: { userId: null, role: 'system' },
      note:
        why === 'nobody_free'
          ? '附近暂时没有空闲的邻居，已转社区工作者处理'
          : `${this.settings.rounds}轮派单都无人接单，已转社区工作者处理`,
      now: t,
    });
    return 'escalated';
  }
}
