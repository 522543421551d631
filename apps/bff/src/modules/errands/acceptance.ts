import type { ErrandView } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { conflict, notFound } from '../../errors';
import { requireHelper, type AuthUser } from '../auth/actor';
import { acceptOfferStatement, withdrawOpenOffersStatement } from '../dispatch/offer-store';
import { offersWithdrawnStatement } from '../live/outbox';
import type { AcceptGate } from './accept-gate';
import { changeAndView } from './change-and-view';
import { errandVersion, findAcceptRecord, recordStatement, timelineStatement } from './store';
import { factsOf, lostRace, transitionStatements } from './transition-store';

const taken = () => lostRace('accept');

/**
 * A helper's 接单: the race where a hundred may tap at once and exactly one wins. The Redis gate
 * (accept-gate.ts) turns most losers away before any SQL; the conditional UPDATE decides.
 */
export class ErrandAcceptance {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly gate: AcceptGate,
  ) {}

  /**
   * Two round trips when it wins: one read decides (offer, capacity), then the whole change and
   * the view's read in one packet with the COMMIT. Losers whom the Redis gate knows to hold an
   * open offer are answered before any SQL; the rest read first (the privacy rule needs the read)
   * and then meet the same gate.
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
        // Only a helper who was offered it learns what became of it; to anyone else it does not exist.
        if (myOffers === 0) throw notFound('没有找到这个代办');
        if (e.status === 'cancelled') throw conflict('ERRAND_CANCELLED', '这单已经取消了，不用再接');
        if (e.helperId !== null) throw taken();
        // This helper's offer lapsed while they were deciding and nobody has taken it (the next
        // round went to other helpers, or staff now arrange it).
        throw conflict('OFFER_EXPIRED', '给您的接单邀请已经过期了，这单正在另外安排');
      }
      if (myCapacity !== null && myActive >= myCapacity) {
        throw conflict('HELPER_AT_CAPACITY', `您手上已有${myActive}个代办，请先完成再接新的`);
      }
      if (!holdsGate) {
        if (!(await this.gate.claim(publicId, helper.helperId))) throw taken();
        holdsGate = true;
      }
      return await changeAndView(this.db, actor, 'accept', (tx) => [
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
}
