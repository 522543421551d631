import type { HelperKind, HelperProfile } from '@linli/contracts';
import { bool, num, numOrNull, type Database, type Sql } from '../../infra/db/database';
import { notFound } from '../../errors';
import { requireHelper, requireStaff, type AuthUser } from '../auth/actor';

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

/** Helpers (党员中心户 and volunteers): duty, zones, verification. */
export class HelperService {
  constructor(
    private readonly db: Database,
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

  /** Dev login: a verified, on-duty household head answering for every building of the community. */
  async ensureDevHelper(userId: number, communityId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      let helper = await tx.one<{ id: unknown }>('SELECT id FROM helpers WHERE user_id = ?', [userId]);
      if (!helper) {
        const home = await tx.one<{ id: unknown }>('SELECT MIN(id) AS id FROM buildings WHERE community_id = ?', [communityId]);
        const res = await tx.run(
          `INSERT INTO helpers (user_id, community_id, kind, verified, on_duty, capacity, can_carry_heavy, home_building_id,
                                rating_sum, rating_count, created_at)
           VALUES (?, ?, 'household_head', 1, 1, 3, 1, ?, 0, 0, ?)`,
          [userId, communityId, numOrNull(home?.id), this.now()],
        );
        helper = { id: res.insertId };
        await tx.run(
          'INSERT INTO helper_zones (helper_id, building_id, community_id) SELECT ?, id, community_id FROM buildings WHERE community_id = ?',
          [helper.id, communityId],
        );
      }
    });
  }

  async setDuty(actor: AuthUser, onDuty: boolean, position: { lat: number; lng: number } | null): Promise<HelperProfile> {
    const helper = requireHelper(actor);
    const t = this.now();
    if (position) {
      await this.db.run('UPDATE helpers SET on_duty = ?, lat = ?, lng = ?, position_at = ? WHERE id = ?', [
        onDuty,
        position.lat,
        position.lng,
        t,
        helper.helperId,
      ]);
    } else {
      await this.db.run('UPDATE helpers SET on_duty = ? WHERE id = ?', [onDuty, helper.helperId]);
    }
    return (await this.profileOfUser(actor.userId))!;
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

  async setVerified(actor: AuthUser, helperId: number, verified: boolean): Promise<HelperSummary> {
    const staff = requireStaff(actor);
    const res = await this.db.run('UPDATE helpers SET verified = ? WHERE id = ? AND community_id = ?', [
      verified,
      helperId,
      staff.staffCommunityId,
    ]);
    if (res.affectedRows === 0) throw notFound('没有找到这位接单人');
    return this.helperInCommunity(this.db, helperId, staff.staffCommunityId);
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
