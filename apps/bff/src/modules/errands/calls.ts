import { ACTIVE_TASK_STATUSES, type CallAnswer, type ErrandStatus } from '@linli/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../infra/db/database';
import type { PrivacyNumberProvider } from '../../infra/privacy-number/provider';
import { conflict, forbidden, notFound } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { relationTo, type ErrandRecord } from './domain';
import {
  bindingById,
  bindingsToEnd,
  claimBinding,
  dropClaim,
  dropStaleClaims,
  leaseUnbind,
  liveBindingOf,
  markExpiredUnbound,
  markUnbound,
  postponeUnbind,
  recordBound,
  retireBinding,
} from './binding-store';
import { requireRecord } from './store';
import { helperPhone } from '../helpers/store';

export interface CallSettings {
  /** How long a binding lives at the provider (it ends sooner when the errand closes). */
  bindingMs: number;
  /** A binding this close to its end is replaced rather than handed out. */
  renewBeforeMs: number;
  /** How long a caller waits for another caller's bind of the same errand; also a claim's lease. */
  bindWaitMs: number;
  unbindBatch: number;
  unbindBackoffBaseMs: number;
  unbindBackoffMaxMs: number;
}

const CLOSED: readonly ErrandStatus[] = ['completed', 'cancelled'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * "打电话" on an errand: the household side and the assigned helper get a privacy middle number
 * bound to this errand (one live binding per errand, shared by both sides), or the community duty
 * phone whenever no privacy number can be had (none configured, the provider failing, nobody
 * assigned yet, a caller who is not one of the two bound phones). Never a dead end.
 * Bindings of closed errands are ended by `releaseBindings`, run on every sweeper pass and retried.
 */
export class ErrandCalls {
  constructor(
    private readonly db: Database,
    private readonly provider: PrivacyNumberProvider | null,
    private readonly settings: CallSettings,
    private readonly now: () => number,
    private readonly log: FastifyBaseLogger,
  ) {}

  async call(actor: AuthUser, publicId: string): Promise<CallAnswer> {
    const e = await requireRecord(this.db, publicId);
    const relation = relationTo(actor, e, false);
    if (!relation) throw notFound('没有找到这个代办');
    if (relation === 'staff') throw forbidden('社区工作者可以直接看到双方号码', 'STAFF_SEES_PHONES');
    // The binding connects the household's registered phone and the helper's: someone who ordered
    // for a neighbour dials from neither, so they get the community, which can reach both.
    const boundParty = relation !== 'requester';
    if (!this.provider || !boundParty || e.helperId === null || !ACTIVE_TASK_STATUSES.includes(e.status)) return this.duty(e);
    try {
      return await this.privacyNumber(e, e.helperId);
    } catch (err) {
      this.log.warn({ err, errandId: e.id }, 'privacy number unavailable, answering the duty phone');
      return this.duty(e);
    }
  }

  private duty(e: ErrandRecord): CallAnswer {
    if (!e.dutyPhone) throw conflict('NO_DUTY_PHONE', '社区还没有登记值班电话，请联系社区工作者');
    return { kind: 'duty', number: e.dutyPhone };
  }

  private async privacyNumber(e: ErrandRecord, helperId: number): Promise<CallAnswer> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const t = this.now();
      const live = await liveBindingOf(this.db, e.id);
      if (live) {
        const fresh = live.expiresAt > t + this.settings.renewBeforeMs && live.helperId === helperId;
        if (live.bound && fresh) return answer(live.bound.middleNumber, live.expiresAt);
        if (!live.bound && live.createdAt > t - this.settings.bindWaitMs) {
          const bound = await this.waitForBind(live.id);
          if (bound) return bound;
          throw new Error('a concurrent bind of this errand failed');
        }
        // Outdated (another helper, about to expire) or a claim whose caller died: retire it.
        // The release pass unbinds retired rows that were bound; unbound claims are simply dropped.
        await retireBinding(this.db, live.id);
      }
      const expiresAt = t + this.settings.bindingMs;
      let claimId: number;
      try {
        claimId = await claimBinding(this.db, { errandId: e.id, communityId: e.communityId, helperId, at: t, expiresAt });
      } catch {
        continue; // another call claimed the errand first: wait for its binding
      }
      return this.bindClaim(e, helperId, claimId, expiresAt);
    }
    throw new Error('could not claim the privacy binding');
  }

  private async bindClaim(e: ErrandRecord, helperId: number, claimId: number, expiresAt: number): Promise<CallAnswer> {
    try {
      const phone = await helperPhone(this.db, helperId);
      if (!phone) throw new Error('the helper has no phone number');
      const bound = await this.provider!.bind({ errandId: e.id, partyA: e.contactPhone, partyB: phone, expiresAt });
      await recordBound(this.db, claimId, bound);
      return answer(bound.middleNumber, expiresAt);
    } catch (err) {
      await dropClaim(this.db, claimId);
      throw err;
    }
  }

  private async waitForBind(claimId: number): Promise<CallAnswer | null> {
    const until = Date.now() + this.settings.bindWaitMs;
    while (Date.now() < until) {
      const r = await bindingById(this.db, claimId);
      if (!r) return null;
      if (r.bound) return answer(r.bound.middleNumber, r.expiresAt);
      await sleep(25);
    }
    return null;
  }

  /**
   * Ends the bindings no longer needed (errand completed or cancelled, helper changed, retired):
   * each row claimed with a lease so instances do not unbind it twice, retried with backoff on
   * failure. Expired bindings ended at the provider by themselves and are only marked.
   * Returns how many were ended.
   */
  async releaseBindings(): Promise<number> {
    // Rows exist only where a provider made them; without one there is nothing to end.
    if (!this.provider) return 0;
    const t = this.now();
    await dropStaleClaims(this.db, t - 10 * this.settings.bindWaitMs);
    let ended = await markExpiredUnbound(this.db, t);
    for (const b of await bindingsToEnd(this.db, t, CLOSED, this.settings.unbindBatch)) {
      if (!(await leaseUnbind(this.db, b, t + this.settings.bindWaitMs * 4))) continue;
      try {
        await this.provider.unbind(b.bindingId);
        await markUnbound(this.db, b.id, this.now());
        ended++;
      } catch (err) {
        const attempts = b.unbindAttempts + 1;
        const backoff = Math.min(this.settings.unbindBackoffBaseMs * 2 ** (attempts - 1), this.settings.unbindBackoffMaxMs);
        await postponeUnbind(this.db, b.id, attempts, this.now() + backoff);
        this.log.warn({ err, bindingRow: b.id, attempts }, 'privacy number unbind failed, will retry');
      }
    }
    return ended;
  }
}

const answer = (middleNumber: string, expiresAt: number): CallAnswer => ({
  kind: 'privacy',
  number: middleNumber,
  expiresAt: new Date(expiresAt).toISOString(),
});
