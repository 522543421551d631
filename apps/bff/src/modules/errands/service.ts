import { createHash } from 'node:crypto';
import { type ErrandSummary, type SlaConfig, type ErrandView, type HouseholdInput, type OfferView } from '@linli/contracts';
import type { Database, Sql } from '../../infra/db/database';
import { distanceMeters } from '../dispatch/domain';
import { notFound, unprocessable } from '../../errors';
import type { AuthUser } from '../auth/actor';
import type { CommunityService } from '../community/service';
import type { ErrandDispatcher } from './dispatching';
import { ErrandCreator, type CreateErrandInput } from './create';
import { deleteExpiredIdempotencyKey, findIdempotencyKey, type StoredIdempotencyKey } from './create-store';
import { relationTo } from './domain';
import { toErrandView } from './views';
import { offerOrigin, openOffersOfHelper } from './offer-list-store';
import { findRecords, readRecordWithTimeline } from './store';
import { summary } from './summary';

export type { CreateErrandInput };
export interface CreateResult {
  statusCode: number;
  replayed: boolean;
  view: ErrandView;
}

/**
 * An errand raised by the system for a known household rather than by the caller for their own:
 * a 包保 visit that found the household needs help, a resident's repeated errand.
 */
export interface ErrandTarget {
  householdId: number;
  /** Not held to the household's open-errand cap (a helper acting on what a visit found). */
  capExempt: boolean;
  /** Submitted for the household by someone else (the visiting helper). */
  onBehalf: boolean;
  submitterRole: 'resident' | 'helper' | 'staff';
  /** The first timeline note. */
  note: string;
}

/** Told to whoever typed in contact details that differ from an existing household's. */
const CONTACT_MISMATCH_NOTE = '联系人信息与登记不一致，已提交社区核实';

/**
 * Batched: three round trips (errands/create.ts). Read committed: the open-errand count, made
 * after waiting for the household's row lock, sees a twin that committed meanwhile (a locking
 * count would too, but its gap locks deadlocked creates of neighbouring households).
 */
const CREATE_TRANSACTION = { readCommitted: true, batched: true };

/** Submitting errands and reading them, each read scoped to what the caller may see. */
export class ErrandService {
  constructor(
    private readonly db: Database,
    private readonly community: CommunityService,
    private readonly dispatcher: ErrandDispatcher,
    private readonly settings: { idempotencyTtlHours: number; listLimit: number; maxOpenPerHousehold: number; sla: SlaConfig },
    private readonly now: () => number,
  ) {
    this.creator = new ErrandCreator(dispatcher, settings, now);
  }

  private readonly creator: ErrandCreator;

  /**
   * Creates an errand and dispatches it, once per Idempotency-Key: a retry with the same key and
   * body gets the first result; the same key with another body is refused (422).
   */
  async createErrand(actor: AuthUser, input: CreateErrandInput, idempotencyKey: string): Promise<CreateResult> {
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const idempotency = { userId: actor.userId, key: idempotencyKey, requestHash };
    // Submitting for a neighbour may register their household first: a retry must not get that far.
    if (input.onBehalfOf) {
      const earlier = await this.replay(actor.userId, idempotencyKey, requestHash);
      if (earlier) return earlier;
    }
    try {
      return await this.db.transaction(async (tx) => {
        const neighbour = input.onBehalfOf ? await this.neighbourHousehold(tx, actor, input.onBehalfOf) : null;
        const outcome = await this.creator.create(tx, {
          actor,
          input,
          householdId: neighbour ? neighbour.householdId : actor.householdId,
          onBehalf: input.onBehalfOf !== undefined,
          submitterRole: input.onBehalfOf
            ? actor.staffCommunityId !== null
              ? 'staff'
              : actor.helperId !== null
                ? 'helper'
                : 'resident'
            : 'resident',
          // The submitter reads this on the errand page; staff see the request in their list.
          note: input.onBehalfOf ? (neighbour?.contactMismatch ? `代为提交（${CONTACT_MISMATCH_NOTE}）` : '代为提交') : '提交代办',
          // Staff taking a call act for the community, so they are not held to the household's cap.
          capExempt: input.onBehalfOf !== undefined && actor.staffCommunityId !== null,
          idempotency,
          commit: true,
        });
        if (outcome.kind === 'earlier') return this.replayOf(outcome.key, requestHash);
        return { statusCode: 201, replayed: false, view: outcome.view };
      }, CREATE_TRANSACTION);
    } catch (err) {
      const twin = await this.replay(actor.userId, idempotencyKey, requestHash);
      if (twin) return twin;
      throw err;
    }
  }

  /**
   * Creates an errand for `target` in the caller's transaction, through the same steps as a
   * submission (cap, dispatch, live events), once per idempotency key: returns null when the key
   * was used already (the occurrence ran before).
   */
  async createFor(
    tx: Sql,
    actor: AuthUser,
    input: CreateErrandInput,
    target: ErrandTarget,
    idempotencyKey: string,
  ): Promise<ErrandView | null> {
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const outcome = await this.creator.create(tx, {
      actor,
      input,
      householdId: target.householdId,
      onBehalf: target.onBehalf,
      submitterRole: target.submitterRole,
      note: target.note,
      capExempt: target.capExempt,
      idempotency: { userId: actor.userId, key: idempotencyKey, requestHash },
      commit: false,
    });
    return outcome.kind === 'created' ? outcome.view : null;
  }

  private async replay(userId: number, key: string, requestHash: string): Promise<CreateResult | null> {
    const earlier = await findIdempotencyKey(this.db, userId, key);
    if (!earlier) return null;
    if (earlier.expiresAt <= this.now()) {
      await deleteExpiredIdempotencyKey(this.db, userId, key, this.now());
      return null;
    }
    return this.replayOf(earlier, requestHash);
  }

  private replayOf(earlier: StoredIdempotencyKey, requestHash: string): CreateResult {
    if (earlier.requestHash !== requestHash) {
      throw unprocessable('IDEMPOTENCY_KEY_REUSED', '同一个请求编号不能用于不同的内容，请重新提交');
    }
    return { statusCode: earlier.statusCode, replayed: true, view: JSON.parse(earlier.responseJson) as ErrandView };
  }

  /**
   * Everyone submits for a neighbour only within their own community: staff and helpers the one
   * they serve, residents the one they live in (so a resident must have registered first).
   */
  private async neighbourHousehold(
    tx: Sql,
    actor: AuthUser,
    input: HouseholdInput,
  ): Promise<{ householdId: number; contactMismatch: boolean }> {
    const scope = actor.staffCommunityId ?? actor.helperCommunityId ?? (await this.community.communityOfHousehold(actor.householdId, tx));
    if (scope === null) throw unprocessable('HOUSEHOLD_REQUIRED', '请先登记您自己的住址，再为家人或邻居下单');
    return this.community.householdForNeighbour(tx, actor.userId, scope, input);
  }

  /** The errands of the caller's household and those they submitted, newest first. */
  async listMine(actor: AuthUser): Promise<ErrandSummary[]> {
    const records = await findRecords(
      this.db,
      'e.requester_id = ? OR e.household_id = ?',
      [actor.userId, actor.householdId ?? -1],
      `ORDER BY e.created_at DESC, e.id DESC LIMIT ${this.settings.listLimit}`,
    );
    return records.map((r) => summary(r, 'household', this.now(), this.settings.sla));
  }

  async getErrand(actor: AuthUser, publicId: string): Promise<ErrandView> {
    const found = await readRecordWithTimeline(this.db, publicId, actor.helperId, this.now());
    const relation = found && relationTo(actor, found.record, found.offered);
    if (!found || !relation) throw notFound('没有找到这个代办');
    return toErrandView(found.record, relation, found.timeline, actor.userId);
  }

  /** A helper's accepted, picked-up and delivered errands. */
  async helperTasks(helperId: number): Promise<ErrandSummary[]> {
    const records = await findRecords(
      this.db,
      "e.helper_id = ? AND e.status IN ('accepted', 'in_progress', 'delivered')",
      [helperId],
      'ORDER BY e.updated_at DESC LIMIT 100',
    );
    return records.map((r) => summary(r, 'assigned_helper', this.now(), this.settings.sla));
  }

  /** Open offers for a helper: what, where in the compound and how far, never the address. */
  async helperOffers(helperId: number): Promise<OfferView[]> {
    const t = this.now();
    const origin = await offerOrigin(this.db, helperId);
    const from = origin?.position ?? origin?.home ?? null;
    // Without a reported position lat/lng are the home building's: the distance is then from
    // home, and 0 m means the errand is in the helper's own building.
    const distanceFrom: OfferView['distanceFrom'] = from === null ? null : origin?.positionReported ? 'here' : 'home';
    const offers = await openOffersOfHelper(this.db, helperId, t);
    return offers.map((o) => ({
      errandId: o.publicId,
      category: o.category,
      // Names wait until the errand is theirs (VIEW_RULES.offered_helper); the count helps decide.
      itemCount: o.items.length,
      heavy: o.heavy,
      urgency: o.urgency,
      window:
        o.windowStart !== null && o.windowEnd !== null
          ? { start: new Date(o.windowStart).toISOString(), end: new Date(o.windowEnd).toISOString() }
          : null,
      place: {
        communityId: o.communityId,
        compoundName: o.compoundName,
        compoundLockdown: o.lockdown,
        buildingName: o.buildingName,
        floor: o.floor,
        hasLift: o.hasLift,
      },
      distanceMeters: from ? distanceMeters(from, o.location) : null,
      expiresAt: new Date(o.expiresAt).toISOString(),
      distanceFrom,
    }));
  }
}
