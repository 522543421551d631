import { createHash, randomBytes, randomInt } from 'node:crypto';
import {
  HEAVY_BY_DEFAULT,
  OPEN_STATUSES,
  slaDueAt,
  slaTierFor,
  type ErrandSummary,
  type SlaConfig,
  type ErrandView,
  type HouseholdInput,
  type OfferView,
} from '@linli/contracts';
import type { z } from 'zod';
import type { CreateErrandBody } from '@linli/contracts';
import { bool, num, type Database, type Sql } from '../../infra/db/database';
import { distanceMeters } from '../dispatch/domain';
import { conflict, notFound, unprocessable } from '../../errors';
import type { AuthUser } from '../auth/actor';
import type { CommunityService } from '../community/service';
import type { ErrandDispatcher } from './dispatching';
import { scheduleDeadline } from '../dispatch/deadlines';
import { handoverCodeFrom, householdIsVulnerable, QUEUE_RANK_BASE, queueRank, relationTo, toErrandView } from './domain';
import { recordErrandChanged } from '../live/outbox';
import { findRecords, hasOpenOffer, insertEvent, requireRecord, timelineOf } from './store';
import { countStatusChange } from './status-counts';
import { countCreated, type CreatedErrand } from '../stats/rollup';
import { summary } from './summary';

export type CreateErrandInput = z.output<typeof CreateErrandBody>;
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
export const CONTACT_MISMATCH_NOTE = '联系人信息与登记不一致，已提交社区核实';

const newPublicId = () => randomBytes(16).toString('base64url');
/** See requireRoomForOpenErrand. */
const CREATE_TRANSACTION = { readCommitted: true };

/** Submitting errands and reading them, each read scoped to what the caller may see. */
export class ErrandService {
  constructor(
    private readonly db: Database,
    private readonly community: CommunityService,
    private readonly dispatcher: ErrandDispatcher,
    private readonly settings: { idempotencyTtlHours: number; listLimit: number; maxOpenPerHousehold: number; sla: SlaConfig },
    private readonly now: () => number,
  ) {}

  /**
   * Creates an errand and dispatches it, once per Idempotency-Key: a retry with the same key and
   * body gets the first result; the same key with another body is refused (422).
   */
  async createErrand(actor: AuthUser, input: CreateErrandInput, idempotencyKey: string): Promise<CreateResult> {
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const earlier = await this.replay(actor.userId, idempotencyKey, requestHash);
    if (earlier) return earlier;
    try {
      return await this.db.transaction(async (tx) => {
        const { view, counted } = await this.insertErrand(tx, actor, input);
        const t = this.now();
        // Inserted last: a concurrent twin with the same key collides here and rolls back whole.
        await tx.run(
          `INSERT INTO idempotency_keys (user_id, idem_key, request_hash, status_code, response_json, created_at, expires_at)
           VALUES (?, ?, ?, 201, ?, ?, ?)`,
          [actor.userId, idempotencyKey, requestHash, JSON.stringify(view), t, t + this.settings.idempotencyTtlHours * 3600_000],
        );
        // Last of all: the community's statistics rows are shared by every create, so their locks
        // are held only for the commit.
        await countCreated(tx, counted);
        return { statusCode: 201, replayed: false, view };
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
    const used = await tx.one('SELECT user_id FROM idempotency_keys WHERE user_id = ? AND idem_key = ?', [actor.userId, idempotencyKey]);
    if (used) return null;
    const { view, counted } = await this.insertErrand(tx, actor, input, target);
    await countCreated(tx, counted);
    const t = this.now();
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    await tx.run(
      `INSERT INTO idempotency_keys (user_id, idem_key, request_hash, status_code, response_json, created_at, expires_at)
       VALUES (?, ?, ?, 201, ?, ?, ?)`,
      [actor.userId, idempotencyKey, requestHash, JSON.stringify(view), t, t + this.settings.idempotencyTtlHours * 3600_000],
    );
    return view;
  }

  private async replay(userId: number, key: string, requestHash: string): Promise<CreateResult | null> {
    const r = await this.db.one(
      'SELECT request_hash, status_code, response_json, expires_at FROM idempotency_keys WHERE user_id = ? AND idem_key = ?',
      [userId, key],
    );
    if (!r) return null;
    if (num(r.expires_at) <= this.now()) {
      await this.db.run('DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND expires_at <= ?', [userId, key, this.now()]);
      return null;
    }
    if (r.request_hash !== requestHash) {
      throw unprocessable('IDEMPOTENCY_KEY_REUSED', '同一个请求编号不能用于不同的内容，请重新提交');
    }
    return { statusCode: num(r.status_code), replayed: true, view: JSON.parse(String(r.response_json)) as ErrandView };
  }

  private async insertErrand(
    tx: Sql,
    actor: AuthUser,
    input: CreateErrandInput,
    target?: ErrandTarget,
  ): Promise<{ view: ErrandView; counted: CreatedErrand }> {
    const neighbour = !target && input.onBehalfOf ? await this.neighbourHousehold(tx, actor, input.onBehalfOf) : null;
    const householdId = target ? target.householdId : neighbour ? neighbour.householdId : actor.householdId;
    if (householdId === null) throw unprocessable('HOUSEHOLD_REQUIRED', '请先登记您的住址，再提交代办');
    const household = await this.community.household(householdId, tx);
    if (!household) throw unprocessable('HOUSEHOLD_REQUIRED', '请先登记您的住址，再提交代办');
    // Staff taking a call act for the community, so they are not held to the household's cap.
    const staffActing = input.onBehalfOf !== undefined && actor.staffCommunityId !== null;
    if (!staffActing && !target?.capExempt) await this.requireRoomForOpenErrand(tx, household.id);
    const t = this.now();
    const heavy = input.heavy ?? HEAVY_BY_DEFAULT.has(input.category);
    const vulnerable = householdIsVulnerable(household);
    const tier = slaTierFor({ category: input.category, urgency: input.urgency, vulnerable }, this.settings.sla);
    const dueAt = slaDueAt(tier, t, this.settings.sla);
    const rank = queueRank({ urgency: input.urgency, vulnerable, lockdown: household.compoundLockdown });
    const res = await tx.run(
      `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, on_behalf, category,
                            items_json, heavy, urgency, vulnerable, window_start, window_end, notes, status, helper_id,
                            handover_code, dispatch_round, version, queue_rank, sla_tier, due_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, ?, 0, 1, ?, ?, ?, ?, ?)`,
      [
        newPublicId(),
        household.communityId,
        household.compoundId,
        household.buildingId,
        household.id,
        actor.userId,
        target ? target.onBehalf : input.onBehalfOf !== undefined,
        input.category,
        JSON.stringify(input.items),
        heavy,
        input.urgency,
        vulnerable,
        input.window ? Date.parse(input.window.start) : null,
        input.window ? Date.parse(input.window.end) : null,
        input.notes || null,
        handoverCodeFrom(randomInt(10_000) / 10_000),
        rank,
        tier,
        dueAt,
        t,
        t,
      ],
    );
    const errand = { id: res.insertId, communityId: household.communityId };
    await countStatusChange(tx, errand.id, errand.communityId, null, 'pending');
    // A red errand must not wait unseen past its due time: the sweeper looks at it then (see dispatching.ts).
    if (tier === 'red') {
      await scheduleDeadline(
        tx,
        { kind: 'sla_due', errandId: errand.id, communityId: errand.communityId, round: 0, priority: QUEUE_RANK_BASE - rank, dueAt },
        t,
      );
    }
    const submitterRole = target
      ? target.submitterRole
      : input.onBehalfOf
        ? actor.staffCommunityId !== null
          ? 'staff'
          : actor.helperId !== null
            ? 'helper'
            : 'resident'
        : 'resident';
    await insertEvent(
      tx,
      errand,
      { userId: actor.userId, role: submitterRole },
      null,
      'pending',
      // The submitter reads this on the errand page; staff see the request in their list.
      target
        ? target.note
        : input.onBehalfOf
          ? neighbour?.contactMismatch
            ? `代为提交（${CONTACT_MISMATCH_NOTE}）`
            : '代为提交'
          : '提交代办',
      t,
    );
    const outcome = await this.dispatcher.dispatchRound(tx, errand.id, {
      ...errand,
      buildingId: household.buildingId,
      requesterId: actor.userId,
      status: 'pending',
      version: 1,
      dispatchRound: 0,
      attemptStartRound: 1,
      heavy,
      urgency: input.urgency,
      vulnerable,
      lockdown: household.compoundLockdown,
      floor: household.floor,
      hasLift: household.hasLift,
      lat: household.location.lat,
      lng: household.location.lng,
    });
    // Offered and escalated errands announced themselves through that step; a waiting one must too.
    if (outcome === 'waiting') await recordErrandChanged(tx, errand.id, t);
    const [record] = await findRecords(tx, 'e.id = ?', [errand.id], '');
    return {
      view: toErrandView(record!, relationTo(actor, record!, false) ?? 'household', await timelineOf(tx, errand.id), actor.userId),
      counted: {
        communityId: household.communityId,
        compoundId: household.compoundId,
        householdId: household.id,
        category: input.category,
        vulnerable,
        createdAt: t,
      },
    };
  }

  /**
   * A household may have only so many errands open at once. On MySQL the household row is locked
   * first, so creates for one household count one after another; the create runs at READ
   * COMMITTED, so the count sees a twin that committed while this one waited. (A locking count
   * would do that too, but its gap locks deadlocked creates of neighbouring households.) SQLite
   * has one writer anyway.
   */
  private async requireRoomForOpenErrand(tx: Sql, householdId: number): Promise<void> {
    if (tx.dialect === 'mysql') await tx.one('SELECT id FROM households WHERE id = ? FOR UPDATE', [householdId]);
    const r = await tx.one<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM errands WHERE household_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})`,
      [householdId, ...OPEN_STATUSES],
    );
    const max = this.settings.maxOpenPerHousehold;
    if (num(r?.n) >= max) {
      throw conflict('TOO_MANY_OPEN_ERRANDS', `这一户已有${max}个代办还没完成，请等完成或取消一个后再提交新的`);
    }
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
    const e = await requireRecord(this.db, publicId);
    const relation = relationTo(actor, e, await hasOpenOffer(this.db, e.id, actor.helperId, this.now()));
    if (!relation) throw notFound('没有找到这个代办');
    return toErrandView(e, relation, await timelineOf(this.db, e.id), actor.userId);
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
    const helper = await this.db.one(
      `SELECT h.lat, h.lng, h.position_at, b.lat AS home_lat, b.lng AS home_lng
         FROM helpers h LEFT JOIN buildings b ON b.id = h.home_building_id WHERE h.id = ?`,
      [helperId],
    );
    const from =
      helper && helper.lat !== null
        ? { lat: Number(helper.lat), lng: Number(helper.lng) }
        : helper && helper.home_lat !== null
          ? { lat: Number(helper.home_lat), lng: Number(helper.home_lng) }
          : null;
    // Without a reported position (position_at null) lat/lng are the home building's: the
    // distance is then from home, and 0 m means the errand is in the helper's own building.
    const distanceFrom: OfferView['distanceFrom'] = from === null ? null : helper?.position_at != null ? 'here' : 'home';
    const rows = await this.db.all(
      `SELECT o.expires_at, e.public_id, e.category, e.items_json, e.heavy, e.urgency, e.window_start, e.window_end, e.community_id,
              cp.name AS compound_name, cp.lockdown, b.name AS building_name, b.has_lift, b.lat, b.lng, hh.floor
         FROM offers o
         JOIN errands e ON e.id = o.errand_id
         JOIN buildings b ON b.id = e.building_id
         JOIN compounds cp ON cp.id = e.compound_id
         JOIN households hh ON hh.id = e.household_id
        WHERE o.helper_id = ? AND o.status = 'open' AND o.expires_at > ? AND e.status = 'offered'
        ORDER BY CASE WHEN e.urgency = 'urgent' THEN 0 ELSE 1 END, o.created_at
        LIMIT 50`,
      [helperId, t],
    );
    return rows.map((r) => ({
      errandId: String(r.public_id),
      category: r.category as OfferView['category'],
      // Names wait until the errand is theirs (VIEW_RULES.offered_helper); the count helps decide.
      itemCount: (JSON.parse(String(r.items_json)) as unknown[]).length,
      heavy: bool(r.heavy),
      urgency: r.urgency as OfferView['urgency'],
      window:
        r.window_start !== null && r.window_end !== null
          ? { start: new Date(num(r.window_start)).toISOString(), end: new Date(num(r.window_end)).toISOString() }
          : null,
      place: {
        communityId: num(r.community_id),
        compoundName: String(r.compound_name),
        compoundLockdown: r.lockdown as OfferView['place']['compoundLockdown'],
        buildingName: String(r.building_name),
        floor: num(r.floor),
        hasLift: bool(r.has_lift),
      },
      distanceMeters: from ? distanceMeters(from, { lat: Number(r.lat), lng: Number(r.lng) }) : null,
      expiresAt: new Date(num(r.expires_at)).toISOString(),
      distanceFrom,
    }));
  }
}
