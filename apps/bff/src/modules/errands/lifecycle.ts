import { type ErrandView } from '@linli/contracts';
import type { Database, Sql } from '../../infra/db/database';
import { conflict, forbidden, notFound, unprocessable } from '../../errors';
import { requireHelper, requireStaff, type AuthUser } from '../auth/actor';
import type { ErrandDispatcher } from './dispatching';
import type { HelperService } from '../helpers/service';
import { actingRole, relationTo, type ErrandRecord, type Relation } from './domain';
import { toErrandView } from './views';
import { lockErrand, recordStatement, requireRecord, timelineOf, timelineStatement } from './store';
import {
  applyTransition,
  countWrongHandoverCode,
  factsOf,
  insertEvent,
  setRating,
  transitionStatements,
  withdrawOpenOffers,
} from './transition-store';
import { recordErrandChanged } from '../live/outbox';
import { declineOpenOffer, hasOpenOffer } from '../dispatch/offer-store';
import { deadlinesInsertStatement } from '../dispatch/deadline-store';
import { changeAndView } from './change-and-view';
import { auditStaffErrandStep } from './audit';
import { countThanks } from '../stats/rollup';
import { addHelperRating } from '../helpers/store';

const handoverLocked = () => conflict('HANDOVER_LOCKED', '交接码错误次数过多，已停止输入。请联系社区工作人员，由他们向居民核实后确认送达');

/**
 * The errand's life after creation (accept has its own race: acceptance.ts): decline, release, pickup, deliver, confirm, cancel,
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
  ) {}

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
    return changeAndView(this.db, actor, 'pickup', (tx) => [
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
      return await changeAndView(this.db, actor, 'deliver', (tx) => [
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
    return changeAndView(
      this.db,
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
