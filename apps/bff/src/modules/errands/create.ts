import { randomBytes, randomInt } from 'node:crypto';
import { HEAVY_BY_DEFAULT, slaDueAt, slaTierFor, type Actor, type ErrandView, type SlaConfig } from '@linli/contracts';
import type { z } from 'zod';
import type { CreateErrandBody } from '@linli/contracts';
import { InsertIdOf, type Sql, type Statement } from '../../infra/db/database';
import { conflict, unprocessable } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { errandHouseholdStatement, lockHouseholdStatement, toErrandHousehold, type ErrandHousehold } from '../community/household-store';
import { deadlinesInsertStatement } from '../dispatch/deadline-store';
import { announceOutbox } from '../live/outbox';
import { createdStatements } from '../stats/rollup';
import type { ErrandDispatcher, NewDispatch } from './dispatching';
import { handoverCodeFrom, householdIsVulnerable, queueRank, relationTo } from './domain';
import { toErrandView } from './views';
import {
  errandInsertStatement,
  idempotencyKeyDeleteExpiredStatement,
  idempotencyKeyInsertStatement,
  idempotencyKeyReadStatement,
  openErrandCountStatement,
  toIdempotencyKey,
  toOpenErrandCount,
  type NewErrandRow,
  type StoredIdempotencyKey,
} from './create-store';
import { firstRoundWrites, slaDeadline } from './first-round-writes';
import { findRecords, timelineOf } from './store';
import { eventsInsertStatement } from './transition-store';
import { newErrandCountsStatement } from './status-count-store';

export type CreateErrandInput = z.output<typeof CreateErrandBody>;

export interface CreateRequest {
  actor: AuthUser;
  input: CreateErrandInput;
  householdId: number | null;
  onBehalf: boolean;
  submitterRole: Actor;
  /** The first timeline note. */
  note: string;
  /** Not held to the household's open-errand cap (staff taking a call, a helper acting on a visit). */
  capExempt: boolean;
  idempotency: { userId: number; key: string; requestHash: string };
  /** Send COMMIT with the last packet: the create is the whole transaction. */
  commit: boolean;
}

export type CreateOutcome = { kind: 'created'; view: ErrandView } | { kind: 'earlier'; key: StoredIdempotencyKey };

const newPublicId = () => randomBytes(16).toString('base64url');

/** What dispatch needs of a new errand, before its first round. */
const newDispatch = (errand: NewErrandRow, household: ErrandHousehold): NewDispatch => ({
  communityId: household.communityId,
  buildingId: household.buildingId,
  requesterId: errand.requesterId,
  dispatchRound: 0,
  attemptStartRound: 1,
  heavy: errand.heavy,
  urgency: errand.urgency,
  vulnerable: errand.vulnerable,
  lockdown: household.compoundLockdown,
  floor: household.floor,
  hasLift: household.hasLift,
  lat: household.location.lat,
  lng: household.location.lng,
});
const householdRequired = () => unprocessable('HOUSEHOLD_REQUIRED', '请先登记您的住址，再提交代办');

/**
 * Creating an errand in three round trips inside its transaction (MySQL, batched): (1) lock the
 * household, read it, count its open errands and look the idempotency key up; (2) read the
 * candidates of the first dispatch round (after the geo index, in Redis); (3) write the errand in
 * its state after that round, its timeline, status counts, offers, outbox events, deadlines,
 * idempotency key and statistics, with COMMIT in the same packet. The response is assembled from
 * what was written, never read back.
 */
export class ErrandCreator {
  constructor(
    private readonly dispatcher: ErrandDispatcher,
    private readonly settings: { idempotencyTtlHours: number; maxOpenPerHousehold: number; sla: SlaConfig },
    private readonly now: () => number,
  ) {}

  async create(tx: Sql, req: CreateRequest): Promise<CreateOutcome> {
    if (req.householdId === null) throw householdRequired();
    const t = this.now();
    const { userId, key, requestHash } = req.idempotency;
    // Where writers run side by side (MySQL); SQLite's one writer already counts one create at a time.
    const lock = tx.sqlDialect.concurrentWriters && !req.capExempt;
    const reads: Statement[] = [
      ...(lock ? [lockHouseholdStatement(req.householdId)] : []),
      errandHouseholdStatement(req.householdId),
      openErrandCountStatement(req.householdId),
      idempotencyKeyReadStatement(userId, key),
    ];
    const results = (await tx.batch(reads)).slice(lock ? 1 : 0);
    const [householdRow] = results[0]!.rows;
    if (!householdRow) throw householdRequired();
    const household = toErrandHousehold(householdRow);
    const earlierRow = results[2]!.rows[0];
    const earlier = earlierRow ? toIdempotencyKey(earlierRow) : null;
    if (earlier && earlier.expiresAt > t) return { kind: 'earlier', key: earlier };
    if (!req.capExempt) this.requireRoomForOpenErrand(toOpenErrandCount(results[1]!.rows));

    const errand = this.newErrandRow(req, household, t);
    const round = await this.dispatcher.planFirstRound(tx, newDispatch(errand, household));
    const written =
      round === null ? await this.insertThenDispatch(tx, req, errand, household, t) : firstRoundWrites(req, errand, round, household, t);
    const view = written.view;
    const tail: Statement[] = [
      ...(earlier ? [idempotencyKeyDeleteExpiredStatement(userId, key, t)] : []),
      idempotencyKeyInsertStatement({ userId, key, requestHash, response: view }, t, t + this.settings.idempotencyTtlHours * 3600_000),
      // Last: the community's statistics rows are shared by every create; in the COMMIT's packet their locks cost no round trip.
      ...createdStatements(tx.sqlDialect, {
        communityId: household.communityId,
        compoundId: household.compoundId,
        householdId: household.id,
        category: req.input.category,
        vulnerable: errand.vulnerable,
        createdAt: t,
      }),
    ];
    await tx.batch([...written.statements, ...tail], { commit: req.commit });
    announceOutbox(tx);
    return { kind: 'created', view };
  }

  private requireRoomForOpenErrand(open: number): void {
    const max = this.settings.maxOpenPerHousehold;
    if (open < max) return;
    // Staff may have placed more than the cap for the household (they are not held to it): then
    // more than one must finish first, and the message says how many.
    const toFinish = open - max + 1;
    throw conflict(
      'TOO_MANY_OPEN_ERRANDS',
      toFinish === 1
        ? `这一户已有${open}个代办还没完成，请等完成或取消一个后再提交新的`
        : `这一户已有${open}个代办还没完成（每户最多${max}个），请等其中${toFinish}个完成或取消后再提交新的`,
    );
  }

  private newErrandRow(req: CreateRequest, household: ErrandHousehold, t: number): NewErrandRow {
    const { input } = req;
    const vulnerable = householdIsVulnerable(household);
    const tier = slaTierFor({ category: input.category, urgency: input.urgency, vulnerable }, this.settings.sla);
    return {
      publicId: newPublicId(),
      communityId: household.communityId,
      compoundId: household.compoundId,
      buildingId: household.buildingId,
      householdId: household.id,
      requesterId: req.actor.userId,
      onBehalf: req.onBehalf,
      category: input.category,
      items: input.items,
      heavy: input.heavy ?? HEAVY_BY_DEFAULT.has(input.category),
      urgency: input.urgency,
      vulnerable,
      windowStart: input.window ? Date.parse(input.window.start) : null,
      windowEnd: input.window ? Date.parse(input.window.end) : null,
      notes: input.notes || null,
      status: 'pending',
      handoverCode: handoverCodeFrom(randomInt(10_000) / 10_000),
      dispatchRound: 0,
      version: 1,
      queueRank: queueRank({ urgency: input.urgency, vulnerable, lockdown: household.compoundLockdown }),
      slaTier: tier,
      dueAt: slaDueAt(tier, t, this.settings.sla),
      createdAt: t,
    };
  }

  /**
   * The round would escalate at once: the errand is inserted pending and dispatched like any
   * other (round trips of its own; only with a single configured round and nobody near).
   */
  private async insertThenDispatch(
    tx: Sql,
    req: CreateRequest,
    errand: NewErrandRow,
    household: ErrandHousehold,
    t: number,
  ): Promise<{ statements: Statement[]; view: ErrandView }> {
    const id = new InsertIdOf(0);
    const [inserted] = await tx.batch([
      errandInsertStatement(errand),
      eventsInsertStatement({ id, communityId: errand.communityId }, [
        { at: t, from: null, to: 'pending', actorRole: req.submitterRole, actorUserId: req.actor.userId, note: req.note },
      ]),
      newErrandCountsStatement(errand.communityId, errand.slaTier, ['pending']),
      ...(errand.slaTier === 'red' ? [deadlinesInsertStatement(slaDeadline(errand, id), t)] : []),
    ]);
    const errandId = inserted!.insertId;
    await this.dispatcher.dispatchRound(tx, errandId, { ...newDispatch(errand, household), id: errandId, status: 'pending', version: 1 });
    const [record] = await findRecords(tx, 'e.id = ?', [errandId], '');
    const view = toErrandView(
      record!,
      relationTo(req.actor, record!, false) ?? 'household',
      await timelineOf(tx, errandId),
      req.actor.userId,
    );
    return { statements: [], view };
  }
}
