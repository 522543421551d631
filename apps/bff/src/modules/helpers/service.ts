import type { HelperKind, HelperProfile, HelperRecord, HelperZones } from '@linli/contracts';
import { bool, num, numOrNull, type Database, type Sql } from '../../infra/db/database';
import { notFound, unprocessable } from '../../errors';
import { requireHelper, requireStaff, type AuthUser } from '../auth/actor';
import { closeDutySpell, type Point } from '../dispatch/domain';
import type { GeoIndex } from '../dispatch/geo-index';
import { recordAudit } from '../audit/store';
import { countDuty } from '../stats/rollup';

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
}

/** The helper row under lock (MySQL), or 404 when it is not of this community. */
async function lockHelperOfCommunity(tx: Sql, helperId: number, communityId: number): Promise<{ verified: unknown }> {
  const row = await tx.one<{ verified: unknown }>(
    `SELECT verified FROM helpers WHERE id = ? AND community_id = ?${tx.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
    [helperId, communityId],
  );
  if (!row) throw notFound('没有找到这位接单人');
  return row;
}

/** Helpers (党员中心户 and volunteers): duty, zones, verification. */
export class HelperService {
  constructor(
    private readonly db: Database,
    private readonly geo: GeoIndex,
    private readonly positionMaxAgeMs: number,
    private readonly now: () => number,
  ) {}

  async profileOfUser(userId: number): Promise<HelperProfile | null> {
    const h = await this.db.one(
      'SELECT id, kind, verified, on_duty, capacity, can_carry_heavy, community_id FROM helpers WHERE user_id = ?',
      [userId],
    );
    if (!h) return null;
    const zone = await this.db.all<{ building_id: unknown }>(
      'SELECT building_id FROM helper_zones WHERE helper_id = ? ORDER BY building_id',
      [h.id],
    );
    return {
      id: num(h.id),
      kind: h.kind as HelperKind,
      verified: bool(h.verified),
      onDuty: bool(h.on_duty),
      capacity: num(h.capacity),
      canCarryHeavy: bool(h.can_carry_heavy),
      communityId: num(h.community_id),
      zoneBuildingIds: zone.map((z) => num(z.building_id)),
    };
  }

  /**
   * On or off duty. A reported position (GCJ-02) is where offers are searched from until it is
   * older than the configured age; without one, the helper's home building stands in.
   */
  async setDuty(actor: AuthUser, onDuty: boolean, position: Point | null): Promise<HelperProfile> {
    const helper = requireHelper(actor);
    const t = this.now();
    const h = await this.db.one(
      `SELECT h.community_id, h.on_duty, h.on_duty_since, h.duty_day, h.duty_minutes_day, h.position_at, b.lat AS home_lat, b.lng AS home_lng
         FROM helpers h LEFT JOIN buildings b ON b.id = h.home_building_id WHERE h.id = ?`,
      [helper.helperId],
    );
    if (!h) throw notFound();
    const communityId = num(h.community_id);
    if (!onDuty) {
      const spell = closeDutySpell(
        { onDutySince: numOrNull(h.on_duty_since), dutyDay: num(h.duty_day), dutyMinutesDay: num(h.duty_minutes_day) },
        t,
      );
      const since = numOrNull(h.on_duty_since);
      const spellMinutes = since === null ? 0 : Math.max(0, Math.round((t - since) / 60_000));
      await this.db.transaction(async (tx) => {
        // Conditional on the spell read above: of two overlapping off-duty calls only one counts it.
        const res = await tx.run(
          `UPDATE helpers SET on_duty = 0, on_duty_since = NULL, duty_day = ?, duty_minutes_day = ?, duty_minutes_total = duty_minutes_total + ?
            WHERE id = ? AND ${since === null ? 'on_duty_since IS NULL' : 'on_duty_since = ?'}`,
          [spell.dutyDay, spell.dutyMinutesDay, spellMinutes, helper.helperId, ...(since === null ? [] : [since])],
        );
        if (since !== null && res.affectedRows === 1)
          await countDuty(tx, { communityId, helperId: helper.helperId, from: since, to: Math.max(since, t) });
      });
      await this.geo.remove(helper.helperId, communityId);
      return (await this.profileOfUser(actor.userId))!;
    }
    const since = numOrNull(h.on_duty_since) ?? t;
    if (position) {
      await this.db.run('UPDATE helpers SET on_duty = 1, on_duty_since = ?, lat = ?, lng = ?, position_at = ? WHERE id = ?', [
        since,
        position.lat,
        position.lng,
        t,
        helper.helperId,
      ]);
      await this.geo.put({ helperId: helper.helperId, communityId, ...position });
    } else {
      const fresh = numOrNull(h.position_at) !== null && t - num(h.position_at) < this.positionMaxAgeMs;
      if (fresh) {
        await this.db.run('UPDATE helpers SET on_duty = 1, on_duty_since = ? WHERE id = ?', [since, helper.helperId]);
      } else {
        await this.db.run('UPDATE helpers SET on_duty = 1, on_duty_since = ?, lat = ?, lng = ?, position_at = NULL WHERE id = ?', [
          since,
          h.home_lat,
          h.home_lng,
          helper.helperId,
        ]);
      }
      const p = await this.db.one('SELECT lat, lng FROM helpers WHERE id = ?', [helper.helperId]);
      if (p && p.lat !== null) await this.geo.put({ helperId: helper.helperId, communityId, lat: Number(p.lat), lng: Number(p.lng) });
    }
    return (await this.profileOfUser(actor.userId))!;
  }

  /** The helper's own service record: errands done and in hand, hours on duty, thanks received. */
  async record(actor: AuthUser): Promise<HelperRecord> {
    const helper = requireHelper(actor);
    const r = await this.db.one(
      `SELECT h.created_at, h.on_duty_since, h.duty_minutes_total, h.rating_sum, h.rating_count,
              (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.status = 'completed') AS completed,
              (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.status IN ('accepted', 'in_progress', 'delivered')) AS in_progress
         FROM helpers h WHERE h.id = ?`,
      [helper.helperId],
    );
    if (!r) throw notFound();
    const openSpell = numOrNull(r.on_duty_since) === null ? 0 : Math.max(0, this.now() - num(r.on_duty_since)) / 60_000;
    const ratings = num(r.rating_count);
    return {
      completed: num(r.completed),
      inProgress: num(r.in_progress),
      hoursOnDuty: Math.round(((num(r.duty_minutes_total) + openSpell) / 60) * 10) / 10,
      averageStars: ratings > 0 ? Math.round((num(r.rating_sum) / ratings) * 10) / 10 : null,
      thanks: ratings,
      since: r.created_at === null ? null : new Date(num(r.created_at)).toISOString(),
    };
  }

  /** Positions older than the configured age fall back to the home building (run by the sweeper). */
  async refreshStalePositions(): Promise<number> {
    const t = this.now();
    const stale = await this.db.all(
      `SELECT h.id, h.community_id, h.on_duty, b.lat, b.lng FROM helpers h JOIN buildings b ON b.id = h.home_building_id
        WHERE h.position_at IS NOT NULL AND h.position_at < ? LIMIT 500`,
      [t - this.positionMaxAgeMs],
    );
    for (const r of stale) {
      await this.db.run('UPDATE helpers SET lat = ?, lng = ?, position_at = NULL WHERE id = ?', [r.lat, r.lng, r.id]);
      if (bool(r.on_duty))
        await this.geo.put({ helperId: num(r.id), communityId: num(r.community_id), lat: Number(r.lat), lng: Number(r.lng) });
    }
    return stale.length;
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
      await tx.run('UPDATE helpers SET verified = ? WHERE id = ?', [verified, helperId]);
      await recordAudit(tx, {
        communityId: staff.staffCommunityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'helper.verify',
        targetType: 'helper',
        targetId: helperId,
        reason,
        before: { verified: bool(before.verified) },
        after: { verified },
        at: this.now(),
      });
    });
    return this.helperInCommunity(this.db, helperId, staff.staffCommunityId);
  }

  /** Staff set the buildings a helper answers for: only buildings of the staff's own community. */
  async setZones(actor: AuthUser, helperId: number, buildingIds: number[], reason?: string): Promise<HelperZones> {
    const staff = requireStaff(actor);
    const wanted = [...new Set(buildingIds)].sort((a, b) => a - b);
    await this.db.transaction(async (tx) => {
      await lockHelperOfCommunity(tx, helperId, staff.staffCommunityId);
      const found = await tx.all<{ id: unknown }>(
        `SELECT id FROM buildings WHERE community_id = ? AND id IN (${wanted.map(() => '?').join(', ')})`,
        [staff.staffCommunityId, ...wanted],
      );
      if (found.length !== wanted.length) throw unprocessable('BUILDING_NOT_IN_COMMUNITY', '只能选择本社区的楼栋');
      const before = await tx.all<{ building_id: unknown }>(
        'SELECT building_id FROM helper_zones WHERE helper_id = ? ORDER BY building_id',
        [helperId],
      );
      await tx.run('DELETE FROM helper_zones WHERE helper_id = ?', [helperId]);
      for (const buildingId of wanted) {
        await tx.run('INSERT INTO helper_zones (helper_id, building_id, community_id) VALUES (?, ?, ?)', [
          helperId,
          buildingId,
          staff.staffCommunityId,
        ]);
      }
      await recordAudit(tx, {
        communityId: staff.staffCommunityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'helper.zones',
        targetType: 'helper',
        targetId: helperId,
        reason,
        before: { buildingIds: before.map((r) => num(r.building_id)) },
        after: { buildingIds: wanted },
        at: this.now(),
      });
    });
    return { helperId, buildingIds: wanted };
  }

  private async summaries(sql: Sql, where: string, params: unknown[]): Promise<HelperSummary[]> {
    const rows = await sql.all(
      `SELECT h.id, h.user_id, u.name, u.phone, h.kind, h.verified, h.on_duty, h.capacity, h.can_carry_heavy,
              h.rating_sum, h.rating_count,
              (SELECT COUNT(*) FROM errands e WHERE e.helper_id = h.id AND e.status IN ('accepted', 'in_progress')) AS active_tasks
         FROM helpers h JOIN users u ON u.id = h.user_id
        WHERE ${where}
        ORDER BY h.id`,
      params,
    );
    return rows.map((r) => ({
      id: num(r.id),
      userId: num(r.user_id),
      name: String(r.name),
      phone: (r.phone as string | null) ?? null,
      kind: r.kind as HelperKind,
      verified: bool(r.verified),
      onDuty: bool(r.on_duty),
      capacity: num(r.capacity),
      canCarryHeavy: bool(r.can_carry_heavy),
      activeTasks: num(r.active_tasks),
      rating: num(r.rating_count) > 0 ? Math.round((num(r.rating_sum) / num(r.rating_count)) * 10) / 10 : null,
    }));
  }
}
