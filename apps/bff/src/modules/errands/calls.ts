import { ACTIVE_TASK_STATUSES, type CallAnswer } from '@linli/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { num, type Database } from '../../infra/db/database';
import type { PrivacyNumberProvider } from '../../infra/privacy-number/provider';
import { conflict, forbidden, notFound } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { relationTo, type ErrandRecord } from './domain';
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

const CLOSED = ['completed', 'cancelled'];
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
      const live = await this.db.one(
        'SELECT id, helper_id, binding_id, middle_number, created_at, expires_at FROM privacy_bindings WHERE live_key = ?',
        [e.id],
      );
      if (live) {
        const fresh = num(live.expires_at) > t + this.settings.renewBeforeMs && num(live.helper_id) === helperId;
        if (live.binding_id !== null && fresh) return answer(String(live.middle_number), num(live.expires_at));
        if (live.binding_id === null && num(live.created_at) > t - this.settings.bindWaitMs) {
          const bound = await this.waitForBind(num(live.id));
          if (bound) return bound;
          throw new Error('a concurrent bind of this errand failed');
        }
        // Outdated (another helper, about to expire) or a claim whose caller died: retire it.
        // The release pass unbinds retired rows that were bound; unbound claims are simply dropped.
        await this.db.run('DELETE FROM privacy_bindings WHERE id = ? AND binding_id IS NULL', [live.id]);
        await this.db.run('UPDATE privacy_bindings SET live_key = NULL WHERE id = ?', [live.id]);
      }
      const expiresAt = t + this.settings.bindingMs;
      let claimId: number;
      try {
        const claim = await this.db.run(
          `INSERT INTO privacy_bindings (errand_id, community_id, helper_id, live_key, created_at, expires_at, unbind_attempts, next_attempt_at)
           VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
          [e.id, e.communityId, helperId, e.id, t, expiresAt],
        );
        claimId = claim.insertId;
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
      await this.db.run('UPDATE privacy_bindings SET binding_id = ?, middle_number = ? WHERE id = ?', [
        bound.bindingId,
        bound.middleNumber,
        claimId,
      ]);
      return answer(bound.middleNumber, expiresAt);
    } catch (err) {
      await this.db.run('DELETE FROM privacy_bindings WHERE id = ? AND binding_id IS NULL', [claimId]);
      throw err;
    }
  }

  private async waitForBind(claimId: number): Promise<CallAnswer | null> {
    const until = Date.now() + this.settings.bindWaitMs;
    while (Date.now() < until) {
      const r = await this.db.one('SELECT binding_id, middle_number, expires_at FROM privacy_bindings WHERE id = ?', [claimId]);
      if (!r) return null;
      if (r.binding_id !== null) return answer(String(r.middle_number), num(r.expires_at));
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
    // Every statement here starts from `unbound_at IS NULL` (indexed): only the few live rows are read.
    await this.db.run('DELETE FROM privacy_bindings WHERE unbound_at IS NULL AND binding_id IS NULL AND created_at < ?', [
      t - 10 * this.settings.bindWaitMs,
    ]);
    const expired = await this.db.run(
      'UPDATE privacy_bindings SET unbound_at = ?, live_key = NULL WHERE unbound_at IS NULL AND expires_at <= ?',
      [t, t],
    );
    const rows = await this.db.all(
      `SELECT pb.id, pb.binding_id, pb.unbind_attempts, pb.next_attempt_at
         FROM privacy_bindings pb JOIN errands e ON e.id = pb.errand_id
        WHERE pb.unbound_at IS NULL AND pb.binding_id IS NOT NULL AND pb.next_attempt_at <= ?
          AND (pb.live_key IS NULL OR e.status IN (${CLOSED.map(() => '?').join(', ')}) OR e.helper_id IS NULL OR e.helper_id <> pb.helper_id)
        ORDER BY pb.next_attempt_at LIMIT ${this.settings.unbindBatch}`,
      [t, ...CLOSED],
    );
    let ended = expired.affectedRows;
    for (const r of rows) {
      const lease = await this.db.run(
        'UPDATE privacy_bindings SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND unbound_at IS NULL',
        [t + this.settings.bindWaitMs * 4, r.id, r.next_attempt_at],
      );
      if (lease.affectedRows !== 1) continue;
      try {
        await this.provider.unbind(String(r.binding_id));
        await this.db.run('UPDATE privacy_bindings SET unbound_at = ?, live_key = NULL WHERE id = ?', [this.now(), r.id]);
        ended++;
      } catch (err) {
        const attempts = num(r.unbind_attempts) + 1;
        const backoff = Math.min(this.settings.unbindBackoffBaseMs * 2 ** (attempts - 1), this.settings.unbindBackoffMaxMs);
        await this.db.run('UPDATE privacy_bindings SET unbind_attempts = ?, next_attempt_at = ? WHERE id = ?', [
          attempts,
          this.now() + backoff,
          r.id,
        ]);
        this.log.warn({ err, bindingRow: num(r.id), attempts }, 'privacy number unbind failed, will retry');
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
