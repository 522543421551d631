import type { ErrandStatus, LockdownStatus, Urgency } from '@linli/contracts';
import { bool, num, type Sql } from '../../infra/db/database';

// What dispatching (dispatching.ts) reads and writes of an errand between its rounds.

/** The errand with what a dispatch round needs: its place, its needs and its round counters. */
export interface DispatchContext {
  id: number;
  communityId: number;
  buildingId: number;
  requesterId: number;
  status: ErrandStatus;
  version: number;
  dispatchRound: number;
  attemptStartRound: number;
  heavy: boolean;
  urgency: Urgency;
  vulnerable: boolean;
  lockdown: LockdownStatus;
  floor: number;
  hasLift: boolean;
  lat: number;
  lng: number;
}

/** The errand with what dispatch needs, its row locked until the transaction ends (MySQL). */
export async function lockDispatchContext(tx: Sql, errandId: number): Promise<DispatchContext> {
  const r = await tx.one(`SELECT id, status, version FROM errands WHERE id = ?${tx.sqlDialect.forUpdate}`, [errandId]);
  if (!r) throw new Error(`errand ${errandId} vanished`);
  const c = await tx.one(
    `SELECT e.community_id, e.building_id, e.requester_id, e.dispatch_round, e.attempt_start_round, e.heavy, e.urgency,
            e.vulnerable, cp.lockdown, hh.floor, b.has_lift, b.lat, b.lng
       FROM errands e JOIN buildings b ON b.id = e.building_id JOIN compounds cp ON cp.id = e.compound_id
       JOIN households hh ON hh.id = e.household_id WHERE e.id = ?`,
    [errandId],
  );
  return {
    id: num(r.id),
    status: r.status as ErrandStatus,
    version: num(r.version),
    communityId: num(c!.community_id),
    buildingId: num(c!.building_id),
    requesterId: num(c!.requester_id),
    dispatchRound: num(c!.dispatch_round),
    attemptStartRound: num(c!.attempt_start_round),
    heavy: bool(c!.heavy),
    urgency: c!.urgency as Urgency,
    vulnerable: bool(c!.vulnerable),
    lockdown: c!.lockdown as LockdownStatus,
    floor: num(c!.floor),
    hasLift: bool(c!.has_lift),
    lat: Number(c!.lat),
    lng: Number(c!.lng),
  };
}

/** A round that found nobody still counts: the errand moves to it without a status change. */
export async function advanceDispatchRound(tx: Sql, errandId: number, round: number, now: number): Promise<void> {
  await tx.run('UPDATE errands SET dispatch_round = ?, version = version + 1, updated_at = ? WHERE id = ?', [round, now, errandId]);
}
