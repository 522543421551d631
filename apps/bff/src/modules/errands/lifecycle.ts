import { type ErrandTransition, type ErrandView } from '@linli/contracts';
import type { Database, Sql, Statement } from '../../infra/db/database';
import { conflict, forbidden, notFound, unprocessable } from '../../errors';
import { requireHelper, requireStaff, type AuthUser } from '../auth/actor';
import type { ErrandDispatcher } from './dispatching';
import type { HelperService } from '../helpers/service';
import { actingRole, relationTo, toErrandView, type ErrandRecord, type Relation } from './domain';
import {
  errandVersion,
  findAcceptRecord,
  lockErrand,
  recordStatement,
  requireRecord,
  timelineOf,
  timelineStatement,
  toRecord,
  toTimelineRow,
} from './store';
import {
  applyTransition,
  countWrongHandoverCode,
  factsOf,
  insertEvent,
  sendTransition,
  setRating,
  transitionStatements,
  withdrawOpenOffers,
} from './transition-store';
import { offersWithdrawnStatement, recordErrandChanged } from '../live/outbox';
import { acceptOfferStatement, declineOpenOffer, hasOpenOffer, withdrawOpenOffersStatement } from '../dispatch/offer-store';
import { deadlinesInsertStatement } from '../dispatch/deadline-store';
import { AcceptGate } from './accept-gate';
import { auditStaffErrandStep } from './audit';
import { countThanks } from '../stats/rollup';
import { addHelperRating } from '../helpers/store';

const taken = () => conflict('ERRAND_TAKEN', '来晚了一步，这个代办已被其他人接单');
/** accept, pickup, deliver, confirm: a read, then one packet (see changeAndView). */
const BATCHED = { batched: true };

const handoverLocked = () => conflict('HANDOVER_LOCKED', '交接码错误次数过多，已停止输入。请联系社区工作人员，由他们向居民核实后确认送达');

/**
 * The errand's life after creation: accept, decline, release, pickup, deliver, confirm, cancel,
 * rate, assign. Each use case first finds how the caller stands to the errand (default deny,
 * 404 if it is not theirs), then makes its change in one transaction.
 */
export class ErrandLifecycle {
  constructor(
    private readonly db: Database,
    private readonly dispatcher: ErrandDispatcher,
    private readonly helpers: HelperService,
    private readonly now: () => number,
    private readonly settings: { maxWrongHandoverCodes: number } = { maxWrongHandoverCodes: 5 },
    private readonly gate: AcceptGate = new AcceptGate(null),
  ) {}

  /**
   * Two round trips when it wins: one read decides (offer, capacity), then the whole change and
   * the view's read in one packet with the COMMIT. Losers of a race who are known to the Redis
   * gate as offered the errand are answered before any SQL; the rest read first (the privacy rule
   * needs the read) and then meet the same gate.
   */
  async accept(actor: AuthUser, publicId: string): Promise<ErrandView> {
    const helper = requireHelper(actor);
    const admitted = await this.gate.admit(publicId, helper.helperId);
    if (admitted === 'taken') throw taken();
    const t = this.now();
    let holdsGate = admitted === 'try';
    try {
      const found = await findAcceptRecord(this.db, publicId, helper.helperId, t);
      if (!found) throw notFound('没有找到这个代办');
      const { errand: e, myOpenOffers, myOffers, myActive, myCapacity } = found;
      if (myOpenOffers === 0) {
        if (e.helperId === helper.helperId) throw conflict('ALREADY_ACCEPTED', '您已经接下这个代办了');
        // Only a helper who was offered it learns that someone else won; to anyone else it does not exist.
        if ((e.status === 'offered' || e.status === 'accepted') && myOffers > 0) throw taken();
        throw notFound('没有找到这个代办');
      }
      if (myCapacity !== null && myActive >= myCapacity) {
        throw conflict('HELPER_AT_CAPACITY', `您手上已有${myActive}个代办，请先完成再接新的`);
      }
      if (!holdsGate) {
        if (!(await this.gate.claim(publicId, helper.helperId))) throw taken();
        holdsGate = true;
      }
      return await this.changeAndView(actor, 'accept', (tx) => [
        ...transitionStatements(tx.sqlDialect, {
          errand: e,
          step: 'accept',
          actor: { userId: actor.userId, role: 'helper' },
          set: { helper_id: helper.helperId, accepted_at: t },
          now: t,
          facts: factsOf(e),
        }),
        acceptOfferStatement(e.id, helper.helperId, t),
        offersWithdrawnStatement(e.id, t),
        withdrawOpenOffersStatement(e.id, t),
        recordStatement(e.id),
        timelineStatement(e.id),
      ]).catch(async (err: unknown) => {
        // The errand unchanged, the offer it was: it closed (expired, declined) meanwhile.
        if ((err as { code?: unknown }).code === 'ERRAND_TAKEN' && (await errandVersion(this.db, e.id)) === e.version) {
          throw conflict('OFFER_CLOSED', '这个接单邀请已经失效');
        }
        throw err;
      });
    } catch (err) {
      if (holdsGate) await this.gate.leave(publicId, helper.helperId);
      throw err;
    }
  }

  /**
   * Sends `statements` (a transition's first, the record and its timeline last) as one batch with
   * the COMMIT, and returns the errand as the caller now sees it.
   */
  private async changeAndView(
    actor: AuthUser,
    step: ErrandTransition,
    statements: (tx: Sql) => Statement[],
    before?: (tx: Sql) => Promise<void>,
  ): Promise<ErrandView> {
    const results = await this.db.transaction(async (tx) => {
      await before?.(tx);
      return sendTransition(tx, step, statements(tx), { commit: true });
    }, BATCHED);
    const record = toRecord(results[results.length - 2]!.rows[0]!);
    const relation = relationTo(actor, record, false);
    if (!relation) throw notFound('没有找到这个代办');
    return toErrandView(record, relation, results[results.length - 1]!.rows.map(toTimelineRow), actor.userId);
  }

  /** Declining frees the helper's slot; the last open offer of a round declined starts the next round. */
  async decline(actor: AuthUser, publicId: string): Promise<void> {
    const helper = requireHelper(actor);
    const e = await requireRecord(this.db, publicId);
    await this.db.transaction(async (tx) => {
      await lockErrand(tx, e.id);
      const round = await declineOpenOffer(tx, e.id, helper.helperId, this.now());
      if (round === null) throw notFound('没有找到这个接单邀请');
      await this.dispatcher.endRound(tx, e.id, round, 'declined');
    });
  }

  /** The helper gives the errand back; it goes out to the other zone helpers again. */
  async release(actor: AuthUser, publicId: string, reason: string): Promise<void> {
    requireHelper(actor);
    const e = await this.requireRelation(actor, publicId, ['assigned_helper']);
    await this.db.transaction(async (tx) => {
      const t = this.now();
      // A release starts a new dispatch attempt: rounds (and radii) count again from the first.
      await applyTransition(tx, {
        errand: e,
        step: 'release',
        actor: { userId: actor.userId, role: 'helper' },
        set: { helper_id: null, accepted_at: null, attempt_start_round: e.dispatchRound + 1 },
        note: `接单人放弃：${reason}`,
        now: t,
      });
      await this.dispatcher.dispatchRound(tx, e.id);
    });
  }

  async pickup(actor: AuthUser, publicId: string): Promise<ErrandView> {
    requireHelper(actor);
    const e = await this.requireRelation(actor, publicId, ['assigned_helper']);
    const t = this.now();
    return this.changeAndView(actor, 'pickup', (tx) => [
      ...transitionStatements(tx.sqlDialect, {
        errand: e,
        step: 'pickup',
        actor: { userId: actor.userId, role: 'helper' },
        set: { picked_up_at: t },
        note: '已取货，正在配送',
        now: t,
        facts: factsOf(e),
      }),
      recordStatement(e.id),
      timelineStatement(e.id),
    ]);
  }

  /**
   * The helper hands over with the household's four-digit code. Wrong codes are counted on the
   * errand and each one is noted in the timeline; after the configured number, code entry stops
   * for good (the right code too, or it could still be found by trying) and staff confirm instead.
   */
  async deliver(actor: AuthUser, publicId: string, handoverCode: string, note?: string): Promise<ErrandView> {
    requireHelper(actor);
    const e = await this.requireRelation(actor, publicId, ['assigned_helper']);
    const max = this.settings.maxWrongHandoverCodes;
    if (e.status === 'in_progress' && handoverCode !== e.handoverCode) {
      const wrongSoFar = await this.db.transaction((tx) => this.countWrongCode(tx, actor, e, max));
      if (wrongSoFar === null || wrongSoFar >= max) throw handoverLocked();
      throw unprocessable('HANDOVER_CODE_WRONG', `交接码不正确，请向居民核对后重试（还可以再试${max - wrongSoFar}次）`);
    }
    const t = this.now();
    try {
      return await this.changeAndView(actor, 'deliver', (tx) => [
        ...transitionStatements(tx.sqlDialect, {
          errand: e,
          step: 'deliver',
          actor: { userId: actor.userId, role: 'helper' },
          set: { delivered_at: t },
          note: note || '已送达',
          now: t,
          facts: factsOf(e),
          // A wrong try committing meanwhile may have stopped code entry: the UPDATE checks it.
          handoverFailuresBelow: e.status === 'in_progress' ? max : undefined,
        }),
        deadlinesInsertStatement([this.dispatcher.autoConfirmDeadline(e, t)], t),
        recordStatement(e.id),
        timelineStatement(e.id),
      ]);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERRAND_CHANGED' && (await lockErrand(this.db, e.id)).handoverFailures >= max)
        throw handoverLocked();
      throw err;
    }
  }

  /**
   * One wrong code: counted only while below the limit (one conditional UPDATE, so concurrent
   * tries cannot pass it) and noted in the timeline for the household and staff. Returns the
   * count after this try, or null if the limit had already been reached.
   */
  private async countWrongCode(tx: Sql, actor: AuthUser, e: ErrandRecord, max: number): Promise<number | null> {
    const t = this.now();
    if (!(await countWrongHandoverCode(tx, e.id, max, t))) return null;
    const { handoverFailures } = await lockErrand(tx, e.id);
    const note =
      handoverFailures >= max
        ? `交接码输入错误（第${handoverFailures}次），已停止输入，需社区工作人员确认送达`
        : `交接码输入错误（第${handoverFailures}次）`;
    await insertEvent(tx, e, { userId: actor.userId, role: 'helper' }, 'in_progress', 'in_progress', note, t);
    await recordErrandChanged(tx, e.id, t);
    return handoverFailures;
  }

  /**
   * Staff confirm a delivery the code could not (code entry stopped, a helper without signal),
   * having checked with the household; the reason goes into the timeline.
   */
  async staffDeliver(actor: AuthUser, publicId: string, reason: string): Promise<ErrandView> {
    requireStaff(actor);
    const e = await this.requireRelation(actor, publicId, ['staff']);
    const t = this.now();
    await this.db.transaction(async (tx) => {
      await applyTransition(tx, {
        errand: e,
        step: 'deliver',
        actor: { userId: actor.userId, role: 'staff' },
        set: { delivered_at: t },
        note: `社区工作人员确认送达：${reason}`,
        now: t,
      });
      await auditStaffErrandStep(tx, { actor, errand: e, action: 'errand.deliver_confirm', to: 'delivered', reason, at: t });
      await this.dispatcher.scheduleAutoConfirm(tx, e);
    });
    return this.viewFor(actor, publicId);
  }

  async confirm(actor: AuthUser, publicId: string): Promise<ErrandView> {
    const { e, relation } = await this.requireRelationOf(actor, publicId, ['household', 'requester', 'staff']);
    const t = this.now();
    return this.changeAndView(
      actor,
      'confirm',
      (tx) => [
        ...transitionStatements(tx.sqlDialect, {
          errand: e,
          step: 'confirm',
          actor: { userId: actor.userId, role: actingRole(relation) },
          set: { completed_at: t },
          note: '已确认收到',
          now: t,
          facts: factsOf(e),
        }),
        recordStatement(e.id),
        timelineStatement(e.id),
      ],
      relation === 'staff'
        ? (tx) => auditStaffErrandStep(tx, { actor, errand: e, action: 'errand.confirm', to: 'completed', at: t })
        : undefined,
    );
  }

  async cancel(actor: AuthUser, publicId: string, reason?: string): Promise<ErrandView> {
    const { e, relation } = await this.requireRelationOf(actor, publicId, ['household', 'requester', 'staff']);
    const t = this.now();
    await this.db.transaction(async (tx) => {
      await applyTransition(tx, {
        errand: e,
        step: 'cancel',
        actor: { userId: actor.userId, role: actingRole(relation) },
        set: { cancelled_at: t },
        note: reason || '已取消',
        now: t,
      });
      if (relation === 'staff')
        await auditStaffErrandStep(tx, { actor, errand: e, action: 'errand.cancel', to: 'cancelled', reason, at: t });
      await withdrawOpenOffers(tx, e.id, t);
    });
    return this.viewFor(actor, publicId);
  }

  async rate(actor: AuthUser, publicId: string, stars: number, comment?: string): Promise<ErrandView> {
    const e = await this.requireRelation(actor, publicId, ['household', 'requester']);
    if (e.status !== 'completed') throw conflict('NOT_COMPLETED', '代办完成后才能评价');
    const ratedAt = this.now();
    await this.db.transaction(async (tx) => {
      if (!(await setRating(tx, e.id, stars, comment || null, ratedAt))) throw conflict('ALREADY_RATED', '这个代办已经评价过了');
      if (e.helperId !== null) {
        await addHelperRating(tx, e.helperId, stars);
        await countThanks(tx, { communityId: e.communityId, helperId: e.helperId, stars, at: ratedAt });
      }
    });
    return this.viewFor(actor, publicId);
  }

  /** Staff hand the errand to a helper of their community, or move it to another, with a reason. */
  async assign(actor: AuthUser, publicId: string, helperId: number, reason?: string): Promise<ErrandView> {
    const staff = requireStaff(actor);
    const e = await this.requireRelation(actor, publicId, ['staff']);
    const helper = await this.helpers.helperInCommunity(this.db, helperId, staff.staffCommunityId);
    if (!helper.verified) throw unprocessable('HELPER_NOT_VERIFIED', '这位接单人还未通过审核');
    if (e.helperId === helperId) throw conflict('ALREADY_ASSIGNED', '这个代办已经由这位接单人负责');
    if (e.helperId !== null && !reason) throw unprocessable('REASON_REQUIRED', '改派时请说明原因，会记在代办记录里');
    const t = this.now();
    const verb = e.helperId === null ? '指派给' : '改派给';
    await this.db.transaction(async (tx) => {
      await applyTransition(tx, {
        errand: e,
        step: 'assign',
        actor: { userId: actor.userId, role: 'staff' },
        set: { helper_id: helperId, accepted_at: t },
        note: `${verb}${helper.name}${reason ? `：${reason}` : ''}`,
        now: t,
      });
      await auditStaffErrandStep(tx, {
        actor,
        errand: e,
        action: e.helperId === null ? 'errand.assign' : 'errand.reassign',
        to: 'accepted',
        helper: { id: helperId, name: helper.name },
        reason,
        at: t,
      });
      await withdrawOpenOffers(tx, e.id, t);
    });
    return this.viewFor(actor, publicId);
  }

  private async requireRelationOf(
    actor: AuthUser,
    publicId: string,
    allowed: Relation[],
    sql: Sql = this.db,
  ): Promise<{ e: ErrandRecord; relation: Relation }> {
    const e = await requireRecord(sql, publicId);
    const relation = relationTo(actor, e, false);
    if (relation === null) throw notFound('没有找到这个代办');
    if (!allowed.includes(relation)) throw forbidden('您不能对这个代办进行此操作');
    return { e, relation };
  }

  private async requireRelation(actor: AuthUser, publicId: string, allowed: Relation[]): Promise<ErrandRecord> {
    return (await this.requireRelationOf(actor, publicId, allowed)).e;
  }

  /** The errand as the caller sees it after their change. */
  private async viewFor(actor: AuthUser, publicId: string): Promise<ErrandView> {
    const e = await requireRecord(this.db, publicId);
    const offered = actor.helperId !== null && (await hasOpenOffer(this.db, e.id, actor.helperId, this.now()));
    const relation = relationTo(actor, e, offered);
    if (!relation) throw notFound('没有找到这个代办');
    return toErrandView(e, relation, await timelineOf(this.db, e.id), actor.userId);
  }
}
