import { ACTIVE_TASK_STATUSES, type HelperKind, type HelperProfile, type HelperRecord, type HelperZones } from '@linli/contracts';
import type { Database, Sql } from '../../infra/db/database';
import { notFound, unprocessable } from '../../errors';
import { requireHelper, requireStaff, type AuthUser } from '../auth/actor';
import { closeDutySpell, type Point } from '../dispatch/domain';
import type { GeoIndex } from '../dispatch/geo-index';
import { recordAudit } from '../audit/store';
import { countDuty } from '../stats/rollup';
import { userContacts } from '../auth/store';
import { buildingsById } from '../community/store';
import { errandCountsByHelper } from '../errands/store';
import {
  agedPositions,
  closeDuty,
  dutyStateOf,
  helperProfileOfUser,
  helperRows,
  lockVerified,
  positionOf,
  replaceZone,
  resetToHome,
  serviceTotals,
  setVerified,
  startDuty,
  zoneOf,
  zonesOf,
} from './helper-store';
import type { PrincipalCache } from '../auth/principal-cache';

export interface HelperSummary {
  id: number;
  userId: number;
  name: string;
  phone: string | null;
  kind: HelperKind;
  verified: boolean;
  onDuty: boolean;
  capacity: number;
  canCarryHeavy: boolean;
  activeTasks: number;
  rating: number | null;
  zoneBuildingIds: number[];
}

/** Whether the helper is verified, under lock (MySQL), or 404 when it is not of this community. */
async function lockHelperOfCommunity(tx: Sql, helperId: number, communityId: number): Promise<{ verified: boolean }> {
  const verified = await lockVerified(tx, helperId, communityId);
  if (verified === null) throw notFound('没有找到这位接单人');
  return { verified };
}

/** Helpers (党员中心户 and volunteers): duty, zones, verification. */
export class HelperService {
  constructor(
    private readonly db: Database,
    private readonly geo: GeoIndex,
    private readonly positionMaxAgeMs: number,
    private readonly now: () => number,
    private readonly principals: PrincipalCache,
  ) {}

  profileOfUser(userId: number): Promise<HelperProfile | null> {
    return helperProfileOfUser(this.db, userId);
  }

  /**
   * On or off duty. A reported position (GCJ-02) is where offers are searched from until it is
   * older than the configured age; without one, the helper's home building stands in.
   */
  async setDuty(actor: AuthUser, onDuty: boolean, position: Point | null): Promise<HelperProfile> {
    const helper = requireHelper(actor);
    const t = this.now();
    const h = await dutyStateOf(this.db, helper.helperId);
    if (!h) throw notFound();
    const communityId = h.communityId;
    if (!onDuty) {
      const spell = closeDutySpell(h, t);
      const since = h.onDutySince;
      const minutes = since === null ? 0 : Math.max(0, Math.round((t - since) / 60_000));
      await this.db.transaction(async (tx) => {
        const closed = await closeDuty(tx, helper.helperId, since, { ...spell, minutes });
        if (since !== null && closed) await countDuty(tx, { communityId, helperId: helper.helperId, from: since, to: Math.max(since, t) });
      });
      await this.geo.remove(helper.helperId, communityId);
      return (await this.profileOfUser(actor.userId))!;
    }
    const since = h.onDutySince ?? t;
    if (position) {
      await startDuty(this.db, helper.helperId, since, { reported: position, at: t });
      await this.geo.put({ helperId: helper.helperId, communityId, ...position });
    } else {
      const fresh = h.positionAt !== null && t - h.positionAt < this.positionMaxAgeMs;
      if (fresh) {
        await startDuty(this.db, helper.helperId, since, 'keep');
      } else {
        const home = h.homeBuildingId === null ? undefined : (await buildingsById(this.db, [h.homeBuildingId])).get(h.homeBuildingId);
        await startDuty(this.db, helper.helperId, since, { home: home ?? null });
      }
      const p = await positionOf(this.db, helper.helperId);
      if (p) await this.geo.put({ helperId: helper.helperId, communityId, ...p });
    }
    return (await this.profileOfUser(actor.userId))!;
  }

  /** The helper's own service record: errands done and in hand, hours on duty, thanks received. */
  async record(actor: AuthUser): Promise<HelperRecord> {
    const helper = requireHelper(actor);
    const r = await serviceTotals(this.db, helper.helperId);
    if (!r) throw notFound();
    const [completed, inHand] = await Promise.all([
      errandCountsByHelper(this.db, [helper.helperId], ['completed']),
      errandCountsByHelper(this.db, [helper.helperId], ACTIVE_TASK_STATUSES),
    ]);
    const openSpell = r.onDutySince === null ? 0 : Math.max(0, this.now() - r.onDutySince) / 60_000;
    return {
      completed: completed.get(helper.helperId) ?? 0,
      inProgress: inHand.get(helper.helperId) ?? 0,
      hoursOnDuty: Math.round(((r.dutyMinutesTotal + openSpell) / 60) * 10) / 10,
      averageStars: r.ratingCount > 0 ? Math.round((r.ratingSum / r.ratingCount) * 10) / 10 : null,
      thanks: r.ratingCount,
      since: r.createdAt === null ? null : new Date(r.createdAt).toISOString(),
    };
  }

  /** Positions older than the configured age fall back to the home building (run by the sweeper). */
  async refreshStalePositions(): Promise<number> {
    const t = this.now();
    const aged = await agedPositions(this.db, t - this.positionMaxAgeMs, 500);
    const homes = await buildingsById(
      this.db,
      aged.map((h) => h.homeBuildingId),
    );
    // As the join did: a helper whose home building is gone keeps the position it last reported.
    let reset = 0;
    for (const h of aged) {
      const home = homes.get(h.homeBuildingId);
      if (!home) continue;
      await resetToHome(this.db, h.id, home);
      if (h.onDuty) await this.geo.put({ helperId: h.id, communityId: h.communityId, lat: home.lat, lng: home.lng });
      reset++;
    }
    return reset;
  }

  /** A helper of the staff member's community, or 404 (never another community's). */
  async helperInCommunity(sql: Sql, helperId: number, communityId: number): Promise<HelperSummary> {
    const rows = await this.summaries(sql, 'h.id = ? AND h.community_id = ?', [helperId, communityId]);
    if (!rows[0]) throw notFound('没有找到这位接单人');
    return rows[0];
  }

  async listForStaff(actor: AuthUser): Promise<HelperSummary[]> {
    const staff = requireStaff(actor);
    return this.summaries(this.db, 'h.community_id = ?', [staff.staffCommunityId]);
  }

  async setVerified(actor: AuthUser, helperId: number, verified: boolean, reason?: string): Promise<HelperSummary> {
    const staff = requireStaff(actor);
    await this.db.transaction(async (tx) => {
      const before = await lockHelperOfCommunity(tx, helperId, staff.staffCommunityId);
      // Already so (a second tap, another desk first): nothing changed, so nothing to audit.
      if (before.verified === verified) return;
      await setVerified(tx, helperId, verified);
      await recordAudit(tx, {
        communityId: staff.staffCommunityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'helper.verify',
        targetType: 'helper',
        targetId: helperId,
        reason,
        before: { verified: before.verified },
        after: { verified },
        at: this.now(),
      });
    });
    // Whether it may accept is part of who the helper is: its next request must see this.
    this.principals.changed({ kind: 'helpers', helperIds: [helperId] });
    return this.helperInCommunity(this.db, helperId, staff.staffCommunityId);
  }

  /** Staff set the buildings a helper answers for: only buildings of the staff's own community. */
  async setZones(actor: AuthUser, helperId: number, buildingIds: number[], reason?: string): Promise<HelperZones> {
    const staff = requireStaff(actor);
    const wanted = [...new Set(buildingIds)].sort((a, b) => a - b);
    await this.db.transaction(async (tx) => {
      await lockHelperOfCommunity(tx, helperId, staff.staffCommunityId);
      const found = [...(await buildingsById(tx, wanted)).values()].filter((b) => b.communityId === staff.staffCommunityId);
      if (found.length !== wanted.length) throw unprocessable('BUILDING_NOT_IN_COMMUNITY', '只能选择本社区的楼栋');
      const before = await zoneOf(tx, helperId);
      await replaceZone(tx, helperId, staff.staffCommunityId, wanted);
      await recordAudit(tx, {
        communityId: staff.staffCommunityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'helper.zones',
        targetType: 'helper',
        targetId: helperId,
        reason,
        before: { buildingIds: before },
        after: { buildingIds: wanted },
        at: this.now(),
      });
    });
    return { helperId, buildingIds: wanted };
  }

  private async summaries(sql: Sql, where: string, params: unknown[]): Promise<HelperSummary[]> {
    const rows = await helperRows(sql, where, params);
    const [users, active, zones] = await Promise.all([
      userContacts(
        sql,
        rows.map((h) => h.userId),
      ),
      errandCountsByHelper(
        sql,
        rows.map((h) => h.id),
        ACTIVE_TASK_STATUSES,
      ),
      zonesOf(
        sql,
        rows.map((h) => h.id),
      ),
    ]);
    return rows.map((h) => ({
      id: h.id,
      userId: h.userId,
      name: users.get(h.userId)?.name ?? '',
      phone: users.get(h.userId)?.phone ?? null,
      kind: h.kind,
      verified: h.verified,
      onDuty: h.onDuty,
      capacity: h.capacity,
      canCarryHeavy: h.canCarryHeavy,
      activeTasks: active.get(h.id) ?? 0,
      rating: h.ratingCount > 0 ? Math.round((h.ratingSum / h.ratingCount) * 10) / 10 : null,
      zoneBuildingIds: zones.get(h.id) ?? [],
    }));
  }
}
